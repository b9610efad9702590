/**
 * {@link io.github.jwtkeyring.issue.TokenIssuer}: signs access tokens with the ring's ACTIVE key, and its request and
 * response values. Callers never choose {@code kid} or {@code alg}.
 * <p>
 * Depends on {@code keys} (through {@link io.github.jwtkeyring.keys.KeyRingAccess}) and jose4j.
 */
package io.github.jwtkeyring.issue;

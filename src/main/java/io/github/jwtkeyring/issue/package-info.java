/**
 * {@link io.github.jwtkeyring.issue.TokenIssuer}: signs access tokens with the ring's ACTIVE key, and its request and
 * response values, and {@link io.github.jwtkeyring.issue.RefreshTokens}: login and rotating refresh tokens. Callers never
 * choose {@code kid} or {@code alg}.
 * <p>
 * Depends on {@code keys} (through {@link io.github.jwtkeyring.keys.KeyRingAccess}), {@code revocation} (the ledger
 * that records refresh-token families) and jose4j.
 */
package io.github.jwtkeyring.issue;

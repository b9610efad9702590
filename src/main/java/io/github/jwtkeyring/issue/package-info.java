/**
 * {@link io.github.jwtkeyring.issue.TokenIssuer}: signs access tokens with the ring's ACTIVE key, and its request and
 * response values; {@link io.github.jwtkeyring.issue.RefreshTokens}: login and rotating refresh tokens; and
 * {@link io.github.jwtkeyring.issue.RefreshFamilies}, the refresh-token state machine behind them (exchange, reuse
 * detection, logout), which records its decisions in the token ledger. Callers never choose {@code kid} or {@code alg}.
 * <p>
 * Depends on {@code keys} (through {@link io.github.jwtkeyring.keys.KeyRingAccess}), {@code revocation} (the ledger
 * that records refresh-token families) and jose4j.
 */
package io.github.jwtkeyring.issue;

/**
 * The server-side state of issued tokens: revoked access tokens (by {@code jti}), revoked subjects, and refresh-token
 * families with the hashes of their tokens, in the {@link io.github.jwtkeyring.revocation.TokenLedger}; and its
 * storage SPI, {@link io.github.jwtkeyring.revocation.LedgerJournal}, which each storage technology in
 * {@code io.github.jwtkeyring.store} implements.
 * <p>
 * Depends on {@code keys} only (the exception root). No Quarkus.
 */
package io.github.jwtkeyring.revocation;

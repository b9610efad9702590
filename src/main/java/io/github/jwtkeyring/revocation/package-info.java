/**
 * The server-side state of issued tokens: revoked access tokens (by {@code jti}), revoked subjects, and refresh-token
 * families with the hashes of their tokens, in the {@link io.github.jwtkeyring.revocation.TokenLedger}; its storage
 * SPI, {@link io.github.jwtkeyring.revocation.LedgerJournal}, with one implementation per technology in the
 * sub-packages.
 * <p>
 * Depends on {@code store} (for its exception and atomic file replacement) and {@code keys} (the exception root);
 * only {@link io.github.jwtkeyring.runtime.LedgerPruner}, the scheduler bean, imports Quarkus.
 */
package io.github.jwtkeyring.revocation;

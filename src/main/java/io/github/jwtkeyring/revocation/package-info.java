/**
 * The server-side record of issued tokens, split by job: the
 * {@link io.github.jwtkeyring.revocation.RevocationList}, the immutable snapshot of revoked access tokens (by
 * {@code jti}), subjects and refresh families that every request is checked against; the
 * {@link io.github.jwtkeyring.revocation.TokenLedger}, which records each change in a journal, swaps in the next
 * snapshot, replays, compacts and prunes, and keeps the refresh-token families and token hashes that the state machine
 * in {@code issue} decides on; and the storage SPI, {@link io.github.jwtkeyring.revocation.LedgerJournal}, which each
 * storage technology in {@code io.github.jwtkeyring.store} implements, with the optional capability of a journal that
 * several nodes share, its {@link io.github.jwtkeyring.revocation.LedgerFeed}.
 * <p>
 * Depends on {@code keys} only (the exception root). No Quarkus.
 */
package io.github.jwtkeyring.revocation;

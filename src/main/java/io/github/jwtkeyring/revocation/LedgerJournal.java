package io.github.jwtkeyring.revocation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@link TokenLedger} keeps its changes between restarts: an append-only journal of {@link LedgerEvent}s,
 * compacted from time to time into a snapshot.
 * <p>
 * Implementations are called under the ledger's write lock, from worker threads only, never on the request path of a
 * token check.
 */
public interface LedgerJournal extends AutoCloseable {

    /**
     * Every event recorded and not compacted away, oldest first; empty for a new journal.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the journal is damaged; it is left untouched
     */
    List<LedgerEvent> replay();

    /**
     * Records {@code events} durably and atomically: when this returns they survive a crash, and a crash while it runs
     * leaves all of them or none.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if they could not be recorded; nothing of them is then
     * @throws LedgerConflictException if a shared journal already holds a newer state of a family being rotated;
     *         nothing of them is then
     */
    void append(List<LedgerEvent> events);

    /**
     * Replaces the whole journal with {@code snapshot}, atomically.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if it could not; the old journal is then still in place
     */
    void rewrite(List<LedgerEvent> snapshot);

    /**
     * How this node learns what other nodes recorded, for a journal that several nodes share; empty for a journal of
     * one node. The ledger pulls changes through it, and looks there before it calls a refresh token or family unknown.
     */
    default Optional<LedgerFeed> feed() {
        return Optional.empty();
    }

    /**
     * Forgets, in the journal itself, entries whose {@code keepUntil} has passed at {@code now}; journals compacted by
     * {@link #rewrite} need not.
     */
    default void prune(Instant now) {
    }

    /** A short description for logs, e.g. the file path. */
    String describe();

    /** Releases files or connections. */
    @Override
    void close();
}

package io.github.jwtkeyring.revocation;

import java.util.List;

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
     * @throws io.github.jwtkeyring.store.StoreException if the journal is damaged; it is left untouched
     */
    List<LedgerEvent> replay();

    /**
     * Records {@code events} durably and atomically: when this returns they survive a crash, and a crash while it runs
     * leaves all of them or none.
     *
     * @throws io.github.jwtkeyring.store.StoreException if they could not be recorded; nothing of them is then
     */
    void append(List<LedgerEvent> events);

    /**
     * Replaces the whole journal with {@code snapshot}, atomically.
     *
     * @throws io.github.jwtkeyring.store.StoreException if it could not; the old journal is then still in place
     */
    void rewrite(List<LedgerEvent> snapshot);

    /** A short description for logs, e.g. the file path. */
    String describe();

    /** Releases files or connections. */
    @Override
    void close();
}

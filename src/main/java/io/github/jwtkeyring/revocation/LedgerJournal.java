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
     * Starts recording {@code events}, to be made durable together with others (group commit): returns a ticket that
     * {@link #awaitDurable} waits for. Tickets become durable in the order they were handed out, and a ticket's events
     * are durable only together with every earlier ticket's. A journal without group commit records them at once.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if nothing can be recorded now; nothing of them is then
     * @throws LedgerConflictException as {@link #append}
     */
    default long write(List<LedgerEvent> events) {
        append(events);
        return 0;
    }

    /**
     * Returns once the events of {@code ticket} (and of every earlier one) are durable; the caller that finds a forced
     * write due does it for everyone waiting.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if they could not be recorded: then neither they nor any events
     *         written after them are, and {@link #needsRecovery()} is true until the writer has read the journal back
     */
    default void awaitDurable(long ticket) {
    }

    /**
     * Whether a failed group write left events in the writer's memory that the journal does not hold: the writer reads
     * the journal back with {@link #replay} and then calls {@link #recovered()}; until then, {@link #write} refuses.
     */
    default boolean needsRecovery() {
        return false;
    }

    /** Tells the journal that its writer has read it back after a failed group write; writes are accepted again. */
    default void recovered() {
    }

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

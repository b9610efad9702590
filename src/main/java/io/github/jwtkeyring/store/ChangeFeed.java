package io.github.jwtkeyring.store;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a node of a cluster hears that another node changed the shared storage: at once when the technology can notify
 * (PostgreSQL {@code LISTEN/NOTIFY}), and by reloading every {@link #reloadInterval()} in any case.
 */
public interface ChangeFeed extends AutoCloseable {

    /** What changed. */
    enum Change {
        /** The key ring. */
        RING,
        /** The token ledger. */
        LEDGER
    }

    /**
     * How often each node reloads, as a fallback to notifications; a new key signs only once it has been stored this
     * long, so that every node knows it first.
     */
    Duration reloadInterval();

    /**
     * Starts listening; {@code onChange} is called on a thread of the feed's own with each change heard, and with every
     * kind of change after each (re)connection, since notifications sent while it was away are lost.
     */
    void start(Consumer<Change> onChange);

    /** Whether notifications can currently reach this node. */
    boolean connected();

    /** Stops listening. */
    @Override
    void close();
}

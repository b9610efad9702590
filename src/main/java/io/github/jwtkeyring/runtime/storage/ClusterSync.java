package io.github.jwtkeyring.runtime.storage;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.store.ChangeFeed;
import io.github.jwtkeyring.store.Storage;

/**
 * Keeps a node of a cluster in step with the others, whatever the shared storage: takes in a changed ring or ledger as
 * soon as the storage's {@link ChangeFeed} reports it, and reloads every {@link ChangeFeed#reloadInterval()} in any
 * case (which also runs the storage's housekeeping, such as re-wrapping key material left under a previous KEK). While
 * the storage is unreachable the node goes on with what it holds, and catches up by itself when it returns. Storage
 * that one node holds alone has no feed, and this does nothing.
 */
@ApplicationScoped
public class ClusterSync {

    private static final Logger LOG = Logger.getLogger(ClusterSync.class);

    @Inject
    Storage storage;

    @Inject
    KeyRingManager manager;

    @Inject
    TokenLedger ledger;

    @Inject
    InstantSource clock;

    private ChangeFeed feed;
    private volatile boolean reachable = true;
    private volatile Instant lastSync;

    /** Starts listening for other nodes' changes, if the storage is shared. */
    public synchronized void start() {
        if (feed != null) {
            return;
        }
        Optional<ChangeFeed> shared = storage.changeFeed();
        if (shared.isPresent()) {
            feed = shared.get();
            feed.start(this::changed);
            lastSync = clock.instant();
        }
    }

    private void changed(ChangeFeed.Change change) {
        if (change == ChangeFeed.Change.RING) {
            manager.reload();
        } else {
            ledger.sync();
        }
    }

    /** Whether the storage is shared by several nodes. */
    public synchronized boolean shared() {
        return feed != null;
    }

    /** The fallback reload interval, if the storage is shared. */
    public synchronized Optional<Duration> reloadInterval() {
        return Optional.ofNullable(feed).map(ChangeFeed::reloadInterval);
    }

    /** Reloads the ring and the ledger and runs the storage's housekeeping; called every reload interval. */
    public void reload() {
        if (!shared() || !manager.loaded()) {
            return;
        }
        try {
            storage.maintain();
            manager.reload();
            ledger.sync();
            if (!reachable) {
                LOG.infof("The key ring storage %s is reachable again; this node has caught up", storage.describe());
            }
            reachable = true;
            lastSync = clock.instant();
        } catch (KeyringException e) {
            if (reachable) {
                LOG.warnf("The key ring storage %s is unreachable; this node keeps verifying and issuing with the ring "
                        + "it holds, and retries: %s", storage.describe(), e.getMessage());
            }
            reachable = false;
        }
    }

    /** Whether the last reload reached the storage and its change feed is connected. */
    public synchronized boolean reachable() {
        return reachable && (feed == null || feed.connected());
    }

    /** When this node last took in the storage's state, or {@code null} if the storage is not shared. */
    public Instant lastSync() {
        return lastSync;
    }

    @PreDestroy
    synchronized void stop() {
        if (feed != null) {
            feed.close();
        }
    }
}

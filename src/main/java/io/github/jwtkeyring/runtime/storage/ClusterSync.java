package io.github.jwtkeyring.runtime.storage;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.storage.jdbc.JdbcWiring;
import io.github.jwtkeyring.store.jdbc.ChangeListener;
import io.github.jwtkeyring.store.jdbc.JdbcKeyRingStore;
import io.github.jwtkeyring.store.jdbc.JdbcLedgerJournal;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps a node of a {@code jdbc} cluster in step with the others: takes in a changed ring or ledger as soon as
 * PostgreSQL notifies it, and every {@code keyring.store.reload-interval} in any case (which also re-wraps key material
 * left under a previous KEK). While the database is unreachable the node goes on with what it holds, and catches up
 * by itself when the database returns.
 */
@ApplicationScoped
public class ClusterSync {

    private static final Logger LOG = Logger.getLogger(ClusterSync.class);

    @Inject
    JdbcWiring jdbc;

    @Inject
    KeyRingManager manager;

    @Inject
    TokenLedger ledger;

    @Inject
    InstantSource clock;

    private ChangeListener listener;
    private volatile boolean reachable = true;
    private volatile Instant lastSync;

    /** Starts listening for other nodes' changes; does nothing unless the {@code jdbc} store is configured. */
    public synchronized void start() {
        if (!jdbc.active() || listener != null) {
            return;
        }
        listener = new ChangeListener(jdbc.dataSource(),
                Set.of(JdbcKeyRingStore.RING_CHANGED, JdbcLedgerJournal.LEDGER_CHANGED), this::changed);
        listener.start();
        lastSync = clock.instant();
    }

    private void changed(String payload) {
        if (JdbcKeyRingStore.RING_CHANGED.equals(payload)) {
            manager.reload();
        } else if (JdbcLedgerJournal.LEDGER_CHANGED.equals(payload)) {
            ledger.sync();
        }
    }

    @Scheduled(every = "${keyring.store.reload-interval:PT30S}", delayed = "${keyring.store.reload-interval:PT30S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        if (!jdbc.active() || !manager.loaded()) {
            return;
        }
        try {
            manager.reload();
            ledger.sync();
            jdbc.existingStore().ifPresent(JdbcKeyRingStore::rewrapUnderCurrentKek);
            if (!reachable) {
                LOG.info("The key ring database is reachable again; this node has caught up");
            }
            reachable = true;
            lastSync = clock.instant();
        } catch (KeyringException e) {
            if (reachable) {
                LOG.warnf("The key ring database is unreachable; this node keeps verifying and issuing with the ring "
                        + "it holds, and retries: %s", e.getMessage());
            }
            reachable = false;
        }
    }

    /** Whether the last reload reached the database and the change listener is connected. */
    public boolean reachable() {
        return reachable && (listener == null || listener.connected());
    }

    /** When this node last took in the database's state, or {@code null} without the {@code jdbc} store. */
    public Instant lastSync() {
        return lastSync;
    }

    @PreDestroy
    synchronized void stop() {
        if (listener != null) {
            listener.close();
        }
    }
}

package io.github.jwtkeyring.store.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.store.ChangeFeed;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.Storage;

/**
 * Cluster storage on PostgreSQL: the ring ({@link JdbcKeyRingStore}, material wrapped under key-encryption keys the
 * database never sees), the shared token ledger ({@link JdbcLedgerJournal}), and {@code LISTEN/NOTIFY} with a
 * periodic reload as the change feed. The schema is migrated ({@link SchemaMigrations}) the first time a part is used.
 * Requests reach the database through a {@link CircuitBreakingDataSource}: during an outage they fail at once.
 */
public final class JdbcStorage implements Storage {

    private final DataSource dataSource;
    private final CircuitBreakingDataSource requests;
    private final KeyEncryptionKeys keks;
    private final String description;
    private final Duration reloadInterval;
    private final KeyCustody custody;
    private JdbcKeyRingStore ring;
    private JdbcLedgerJournal journal;

    /**
     * @param dataSource the PostgreSQL datasource
     * @param keks the key-encryption keys
     * @param description where the database is, for logs (no credentials)
     * @param reloadInterval how often each node reloads as a fallback to notifications
     */
    public JdbcStorage(DataSource dataSource, KeyEncryptionKeys keks, String description, Duration reloadInterval) {
        this(dataSource, keks, description, reloadInterval, null);
    }

    /**
     * @param dataSource the PostgreSQL datasource
     * @param keks the key-encryption keys
     * @param description where the database is, for logs (no credentials)
     * @param reloadInterval how often each node reloads as a fallback to notifications
     * @param custody the PKCS#11 token every node shares, holding the secret parts of new keys, or {@code null}
     */
    public JdbcStorage(DataSource dataSource, KeyEncryptionKeys keks, String description, Duration reloadInterval,
            KeyCustody custody) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.keks = Objects.requireNonNull(keks, "keks");
        this.description = Objects.requireNonNull(description, "description");
        this.requests = new CircuitBreakingDataSource(dataSource, description);
        this.reloadInterval = Objects.requireNonNull(reloadInterval, "reloadInterval");
        this.custody = custody;
    }

    @Override
    public synchronized KeyRingStore keyRing() {
        if (ring == null) {
            migrate();
            ring = new JdbcKeyRingStore(requests, keks, description, custody);
        }
        return ring;
    }

    @Override
    public synchronized LedgerJournal ledgerJournal() {
        if (journal == null) {
            migrate();
            journal = new JdbcLedgerJournal(requests, description);
        }
        return journal;
    }

    private void migrate() {
        if (ring == null && journal == null) {
            SchemaMigrations.migrate(dataSource, description);
        }
    }

    @Override
    public Optional<ChangeFeed> changeFeed() {
        return Optional.of(new Feed());
    }

    /** Probes an unreachable database (requests never do), and re-wraps key material left under a previous KEK. */
    @Override
    public void maintain() {
        requests.probe();
        JdbcKeyRingStore current;
        synchronized (this) {
            current = ring;
        }
        if (current != null) {
            current.rewrapUnderCurrentKek();
        }
    }

    @Override
    public Optional<String> maintenanceProblem() {
        JdbcKeyRingStore current;
        synchronized (this) {
            current = ring;
        }
        int stuck = current == null ? 0 : current.stuckUnderOldKek();
        return stuck == 0 ? Optional.empty()
                : Optional.of(stuck + " key(s) remain under an earlier key-encryption key that this node does not hold "
                        + "(keyring.store.jdbc.kek-previous)");
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "JdbcStorage[" + description + ", " + keks + "]";
    }

    /** {@code LISTEN/NOTIFY} through a {@link ChangeListener}. */
    private final class Feed implements ChangeFeed {

        private ChangeListener listener;

        @Override
        public Duration reloadInterval() {
            return reloadInterval;
        }

        @Override
        public synchronized void start(Consumer<Change> onChange) {
            if (listener != null) {
                return;
            }
            // the listener's own connection, retried every second, also tells requests when the database is back
            listener = new ChangeListener(dataSource,
                    Set.of(JdbcKeyRingStore.RING_CHANGED, JdbcLedgerJournal.LEDGER_CHANGED), payload -> {
                        requests.reached();
                        onChange.accept(JdbcKeyRingStore.RING_CHANGED.equals(payload) ? Change.RING : Change.LEDGER);
                    });
            listener.start();
        }

        @Override
        public synchronized boolean connected() {
            return listener != null && listener.connected();
        }

        @Override
        public synchronized void close() {
            if (listener != null) {
                listener.close();
            }
        }
    }
}

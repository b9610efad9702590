package io.github.jwtkeyring.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * The LISTEN connection against a PostgreSQL server of its own, which a test stops and starts as an outage would.
 * <p>
 * Notifications arrive on the listener's thread, so these tests wait for them: they poll every 20 ms up to a
 * deadline, never sleep for a fixed time.
 */
class ChangeListenerTest {

    private static final Set<String> PAYLOADS = Set.of(JdbcKeyRingStore.RING_CHANGED, JdbcLedgerJournal.LEDGER_CHANGED);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static PostgresServer server;
    private static DataSource dataSource;

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> listenerThread = new AtomicReference<>();
    private ChangeListener listener;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
        dataSource = server.dataSource(server.createDatabase());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void listen() {
        listener = new ChangeListener(dataSource, PAYLOADS, payload -> {
            listenerThread.set(Thread.currentThread());
            heard.add(payload);
        });
        listener.start();
        awaitTrue("the listener connects", listener::connected);
    }

    @AfterEach
    void closeListener() {
        listener.close();
    }

    @Test
    void start_reportsEveryPayloadOnce_asNotificationsSentBeforeItListenedAreLost() {
        awaitMarker();

        assertThat(heard).as("heard before the marker").hasSize(PAYLOADS.size() + 1).endsWith("marker");
        assertThat(heard.subList(0, PAYLOADS.size())).containsExactlyInAnyOrderElementsOf(PAYLOADS);
    }

    @Test
    void notify_fromAnotherConnection_reachesTheCallback() throws SQLException {
        awaitMarker();
        heard.clear();

        notify(JdbcKeyRingStore.CHANNEL, "ring");

        awaitTrue("the ring notification is heard", () -> heard.contains("ring"));
        assertThat(heard).containsExactly("ring");
    }

    @Test
    void notify_onAnotherChannel_isNotHeard() throws SQLException {
        awaitMarker();
        heard.clear();

        notify("some_other_channel", "ring");
        awaitMarker();

        assertThat(heard).containsExactly("marker");
    }

    @Test
    void notify_insideATransaction_isHeardOnlyAfterCommit_andNotAfterRollback() throws SQLException {
        awaitMarker();
        heard.clear();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Jdbc.notify(connection, "ledger");
            connection.rollback();
            Jdbc.notify(connection, "ring");
            awaitMarker();
            assertThat(heard).as("before commit").containsExactly("marker");

            connection.commit();
        }

        awaitTrue("the committed notification is heard", () -> heard.contains("ring"));
        assertThat(heard).containsExactly("marker", "ring");
    }

    @Test
    void aSavedRing_isHeardAsARingChange() {
        awaitMarker();
        heard.clear();
        DataSource migrated = migratedDatabaseOnThisServer();
        ChangeListener onMigrated = new ChangeListener(migrated, PAYLOADS, heard::add);
        onMigrated.start();
        try {
            awaitTrue("the second listener connects", onMigrated::connected);
            awaitTrue("its catch-up", () -> heard.size() >= 2);
            heard.clear();
            JdbcKeyRingStore store = new JdbcKeyRingStore(migrated,
                    new KeyEncryptionKeys(new KeyEncryptionKey(JdbcKeyRingStoreTest.random(), "test"), List.of()),
                    "test database");

            store.save(new Rotation(new RotationPolicy(SigningAlgorithm.ES256, Duration.ofDays(1),
                    Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30)),
                    new JdkKeyGenerator(new SecureRandom(), 2048)).bootstrap(Instant.EPOCH));

            awaitTrue("the ring change is heard", () -> heard.contains(JdbcKeyRingStore.RING_CHANGED));
        } finally {
            onMigrated.close();
        }
    }

    @Test
    void afterTheServerRestarts_reconnectsAndReportsEveryPayloadOnceMore() throws SQLException {
        awaitMarker();
        heard.clear();

        server.stop();
        try {
            awaitTrue("the listener notices the outage", () -> !listener.connected());
        } finally {
            server.restart();
        }

        awaitTrue("the listener reconnects", listener::connected);
        awaitTrue("both payloads reported again", () -> heard.containsAll(PAYLOADS));
        awaitMarker();
        assertThat(heard.subList(0, heard.size() - 1)).as("catch-up after reconnecting")
                .containsExactlyInAnyOrderElementsOf(PAYLOADS);
        heard.clear();
        notify(JdbcKeyRingStore.CHANNEL, "ring");
        awaitTrue("a notification after the restart is heard", () -> heard.contains("ring"));
    }

    @Test
    void close_stopsTheListenerThreadAndReleasesItsConnection() {
        awaitMarker();
        Thread thread = listenerThread.get();
        assertThat(thread).isNotNull();
        // listeners of other tests close asynchronously too
        awaitTrue("only this test's listener is listening", () -> listeningBackends() == 1);

        listener.close();

        awaitTrue("the listener thread ends", () -> !thread.isAlive());
        awaitTrue("its connection is closed", () -> listeningBackends() == 0);
    }

    @Test
    void close_thenConnected_isFalse() {
        Thread thread = awaitThread();

        listener.close();
        awaitTrue("the listener thread ends", () -> !thread.isAlive());

        assertThat(listener.connected()).as("connected() after close()").isFalse();
    }

    @Test
    void close_whileTheServerIsDown_stopsTheThread() {
        Thread thread = awaitThread();
        server.stop();
        try {
            awaitTrue("the listener notices the outage", () -> !listener.connected());

            listener.close();

            awaitTrue("the listener thread ends", () -> !thread.isAlive());
        } finally {
            server.restart();
        }
    }

    @Test
    void callbackThatThrows_doesNotStopTheListener() throws SQLException {
        List<String> survived = new CopyOnWriteArrayList<>();
        ChangeListener failing = new ChangeListener(dataSource, PAYLOADS, payload -> {
            survived.add(payload);
            throw new IllegalStateException("reload failed");
        });
        failing.start();
        try {
            awaitTrue("the failing listener connects and catches up", () -> survived.size() >= 2);

            notify(JdbcKeyRingStore.CHANNEL, "after-failures");

            awaitTrue("a later notification is still heard", () -> survived.contains("after-failures"));
            assertThat(failing.connected()).isTrue();
        } finally {
            failing.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private Thread awaitThread() {
        awaitTrue("the callback runs", () -> listenerThread.get() != null);
        return listenerThread.get();
    }

    /**
     * Sends a marker notification and waits until it is heard: notifications reach the callback in order on one
     * thread, so whatever the listener was going to report before it has been reported by then.
     */
    private void awaitMarker() {
        int before = (int) heard.stream().filter("marker"::equals).count();
        try {
            notify(JdbcKeyRingStore.CHANNEL, "marker");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        awaitTrue("the marker is heard", () -> heard.stream().filter("marker"::equals).count() > before);
    }

    private static void notify(String channel, String payload) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, channel);
            statement.setString(2, payload);
            statement.execute();
        }
    }

    /** How many sessions of this server are listening on the channel now. */
    private static long listeningBackends() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN "
                        + JdbcKeyRingStore.CHANNEL + "' AND datname = current_database()")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static DataSource migratedDatabaseOnThisServer() {
        DataSource migrated = server.dataSource(server.createDatabase());
        SchemaMigrations.migrate(migrated, "test database");
        return migrated;
    }

    /** Polls {@code condition} every 20 ms until it holds, failing after {@link #DEADLINE}. */
    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + DEADLINE.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting until " + what, e);
            }
        }
    }
}

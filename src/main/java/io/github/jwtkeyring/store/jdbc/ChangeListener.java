package io.github.jwtkeyring.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears other nodes' changes: one connection that {@code LISTEN}s on {@value JdbcKeyRingStore#CHANNEL}, on a daemon
 * thread of its own, handing each distinct notification payload ({@code ring}, {@code ledger}) to a callback. After
 * every (re)connection it reports every payload once, since notifications sent while it was away are lost; while the
 * database is unreachable it retries every second.
 */
public final class ChangeListener implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final int POLL_MILLIS = 500;
    private static final long RETRY_MILLIS = 1000;

    private final DataSource dataSource;
    private final Set<String> payloads;
    private final Consumer<String> onChange;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean connected;

    /**
     * @param payloads every payload there is, reported after each (re)connection
     * @param onChange called on the listener thread with each payload heard; exceptions are logged
     */
    public ChangeListener(DataSource dataSource, Set<String> payloads, Consumer<String> onChange) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.payloads = Set.copyOf(payloads);
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.thread = new Thread(this::run, "keyring-change-listener");
        this.thread.setDaemon(true);
    }

    /** Starts listening. */
    public void start() {
        thread.start();
    }

    /** Whether the listening connection is up. */
    public boolean connected() {
        return connected;
    }

    private void run() {
        boolean warned = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + JdbcKeyRingStore.CHANNEL);
                }
                connected = true;
                if (warned) {
                    LOG.info("Listening for key ring changes again; catching up");
                }
                warned = false;
                payloads.forEach(this::deliver);
                listen(connection.unwrap(PGConnection.class));
            } catch (SQLException | RuntimeException e) {
                connected = false;
                if (!warned && running) {
                    LOG.warnf("Cannot listen for key ring changes (%s); retrying every second", e.getMessage());
                    warned = true;
                }
                pause();
            }
        }
        connected = false;
    }

    private void listen(PGConnection connection) throws SQLException {
        while (running) {
            PGNotification[] notifications = connection.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            Set<String> heard = new LinkedHashSet<>();
            for (PGNotification notification : notifications) {
                heard.add(notification.getParameter());
            }
            heard.forEach(this::deliver);
        }
    }

    private void deliver(String payload) {
        try {
            onChange.accept(payload);
        } catch (RuntimeException e) {
            LOG.warnf("Taking in a '%s' change failed, the periodic reload will retry: %s", payload, e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

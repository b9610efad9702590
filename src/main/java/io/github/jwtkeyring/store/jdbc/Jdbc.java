package io.github.jwtkeyring.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * The few JDBC habits the PostgreSQL store and ledger share: one transaction per call, instants as
 * {@code TIMESTAMPTZ}, notifications on {@value JdbcKeyRingStore#CHANNEL}.
 */
public final class Jdbc {

    /** Work done on a connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Jdbc() {
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     *
     * @param repeatableRead whether the transaction reads one snapshot throughout (for reads spanning tables)
     */
    public static <T> T inTransaction(DataSource dataSource, boolean repeatableRead, Work<T> work)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            if (repeatableRead) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Sends {@code payload} on {@value JdbcKeyRingStore#CHANNEL}; delivered when the transaction commits. */
    public static void notify(Connection connection, String payload) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            statement.setString(1, JdbcKeyRingStore.CHANNEL);
            statement.setString(2, payload);
            statement.execute();
        }
    }

    /** An instant as a {@code TIMESTAMPTZ} parameter. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The {@code TIMESTAMPTZ} column at {@code index} (from 1) as an instant, or {@code null}. */
    public static Instant instant(ResultSet row, int index) throws SQLException {
        OffsetDateTime value = row.getObject(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A {@code TIMESTAMPTZ} column as an instant, or {@code null}. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

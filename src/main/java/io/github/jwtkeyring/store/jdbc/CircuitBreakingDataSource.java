package io.github.jwtkeyring.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The cluster database as requests see it: once a connection cannot be had, the circuit opens, and every later
 * request that needs the database is refused at once (its caller answers 503, or a login without a refresh token)
 * instead of waiting seconds for the pool and the driver to give up again. Requests never probe: the circuit closes
 * when background work ({@link #probe()} from the periodic reload, or the change listener reconnecting) reaches the
 * database again.
 */
final class CircuitBreakingDataSource implements DataSource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger
            .getLogger(CircuitBreakingDataSource.class);

    private final DataSource delegate;
    private final String description;
    private volatile boolean open;

    CircuitBreakingDataSource(DataSource delegate, String description) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.description = description;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (open) {
            throw new SQLTransientConnectionException("the database is unreachable (not asked again until background "
                    + "work reaches it)");
        }
        try {
            return delegate.getConnection();
        } catch (SQLException e) {
            if (!open) {
                open = true;
                LOG.warnf("%s is unreachable: requests that need it are refused at once until it answers again (%s)",
                        description, e.getMessage());
            }
            throw e;
        }
    }

    /** Whether requests are refused without asking the database. */
    boolean isOpen() {
        return open;
    }

    /** From background work only: tries the database, and closes the circuit if it answers. */
    void probe() {
        if (!open) {
            return;
        }
        try (Connection connection = delegate.getConnection()) {
            if (connection.isValid(5)) {
                reached();
            }
        } catch (SQLException e) {
            // still unreachable; the next periodic reload probes again
        }
    }

    /** Background work reached the database: requests may use it again. */
    void reached() {
        if (open) {
            open = false;
            LOG.infof("%s answers again", description);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("connections with other credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return delegate.isWrapperFor(type);
    }
}

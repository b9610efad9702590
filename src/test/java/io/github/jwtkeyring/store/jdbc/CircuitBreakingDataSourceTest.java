package io.github.jwtkeyring.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.testing.PostgresServer;

/**
 * The circuit of the cluster database on a real PostgreSQL server that goes away and comes back: after one failed
 * connection, requests are refused without asking the server; only background work probes, and closes the circuit
 * once the server answers.
 */
class CircuitBreakingDataSourceTest {

    @Test
    void afterAFailedConnection_requestsAreRefusedAtOnce_untilABackgroundProbeReachesTheServerAgain()
            throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            DataSource raw = server.dataSource(server.createDatabase());
            CircuitBreakingDataSource circuit = new CircuitBreakingDataSource(raw, "the test database");
            circuit.getConnection().close();
            assertThat(circuit.isOpen()).isFalse();

            server.stop();
            assertThatThrownBy(circuit::getConnection).isInstanceOf(SQLException.class);
            assertThat(circuit.isOpen()).isTrue();
            assertThatThrownBy(circuit::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("not asked again");
            circuit.probe();
            assertThat(circuit.isOpen()).as("the server is still away").isTrue();

            server.restart();
            assertThatThrownBy(circuit::getConnection).as("requests do not probe")
                    .isInstanceOf(SQLTransientConnectionException.class);
            circuit.probe();
            assertThat(circuit.isOpen()).isFalse();
            circuit.getConnection().close();
        }
    }
}

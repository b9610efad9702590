package io.github.jwtkeyring.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * The module's own schema migrations on a real PostgreSQL: once each, recorded in a history table of the module's own
 * that leaves an application's Flyway alone, safe to run again, adopting a schema an earlier version created, and
 * refusing a database whose recorded migration differs.
 */
class SchemaMigrationsTest {

    private final PostgresServer server = PostgresServer.shared();
    private final DataSource database = server.dataSource(server.createDatabase());

    @Test
    void migrate_createsTheTablesOnce_andRecordsTheVersion_andIsHarmlessAgain() throws SQLException {
        SchemaMigrations.migrate(database, "test");
        insertKey("kept");
        SchemaMigrations.migrate(database, "test");

        assertThat(rows("SELECT version FROM keyring_schema_history")).containsExactly("1", "2");
        assertThat(rows("SELECT kid FROM keyring_key")).containsExactly("kept");
    }

    @Test
    void migrate_leavesAnApplicationsOwnFlywayHistoryAndTablesAlone() throws SQLException {
        execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, script TEXT)");
        execute("INSERT INTO flyway_schema_history VALUES (1, 'V1__orders.sql')");
        execute("CREATE TABLE orders (id INT PRIMARY KEY)");

        SchemaMigrations.migrate(database, "test");

        assertThat(rows("SELECT script FROM flyway_schema_history")).containsExactly("V1__orders.sql");
        assertThat(rows("SELECT count(*) FROM orders")).containsExactly("0");
        assertThat(rows("SELECT version FROM keyring_schema_history")).containsExactly("1", "2");
    }

    @Test
    void migrate_adoptsTheTablesAnEarlierVersionCreated_withoutRunningVersion1Again() throws SQLException {
        execute(SchemaMigrations.MIGRATIONS.get(0).sql());
        insertKey("from-before");

        SchemaMigrations.migrate(database, "test");

        assertThat(rows("SELECT version FROM keyring_schema_history")).containsExactly("1", "2");
        assertThat(rows("SELECT kid FROM keyring_key")).containsExactly("from-before");
    }

    @Test
    void migrate_refusesADatabaseWhoseRecordedMigrationDiffers_andChangesNothing() throws SQLException {
        SchemaMigrations.migrate(database, "test");
        execute("UPDATE keyring_schema_history SET checksum = 'other' WHERE version = 1");

        assertThatThrownBy(() -> SchemaMigrations.migrate(database, "test")).isInstanceOf(StoreException.class)
                .hasMessageContaining("version 1").hasMessageContaining("Nothing was changed");
        assertThat(rows("SELECT checksum FROM keyring_schema_history WHERE version = 1")).containsExactly("other");
    }

    private void insertKey(String kid) throws SQLException {
        execute("INSERT INTO keyring_key (kid, position, algorithm, state, created, activates, retires, "
                + "max_issued_lifetime) VALUES ('" + kid + "', 0, 'ES256', 'ACTIVE', now(), now(), now(), 'PT5M')");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> rows(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}

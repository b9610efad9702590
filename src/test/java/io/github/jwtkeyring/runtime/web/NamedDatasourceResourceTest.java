package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.store.Storage;
import io.github.jwtkeyring.store.jdbc.JdbcStorage;
import io.github.jwtkeyring.testing.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Cluster mode on a named datasource of the application's ({@code keyring.store.jdbc.datasource=keyring}), against a
 * real PostgreSQL: the ring lives in that database, not in the default datasource (which has no URL here).
 */
@QuarkusTest
@TestProfile(NamedDatasourceResourceTest.NamedDatasource.class)
class NamedDatasourceResourceTest {

    /** The jdbc store on the datasource named keyring. */
    public static class NamedDatasource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            byte[] kek = new byte[32];
            new SecureRandom().nextBytes(kek);
            return Map.of("keyring.store.type", "jdbc",
                    "keyring.store.jdbc.datasource", "keyring",
                    "keyring.store.jdbc.kek", Base64.getEncoder().encodeToString(kek),
                    "quarkus.datasource.keyring.db-kind", "postgresql");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Database.class));
        }
    }

    /** A database of its own on the tests' private PostgreSQL server. */
    public static class Database implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            PostgresServer server = PostgresServer.shared();
            return Map.of("quarkus.datasource.keyring.jdbc.url", server.jdbcUrl(server.createDatabase()),
                    "quarkus.datasource.keyring.username", server.user());
        }

        @Override
        public void stop() {
            // the shared server stops with the test JVM
        }
    }

    @Inject
    Storage storage;

    @Inject
    KeyRingManager manager;

    @ConfigProperty(name = "quarkus.datasource.keyring.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.keyring.username")
    String user;

    @Test
    void theRing_livesInTheNamedDatasourcesDatabase() throws SQLException {
        assertThat(storage).isInstanceOf(JdbcStorage.class);
        String admin = Http.login("admin", "admin");
        given().auth().oauth2(admin).queryParam("force", true).when().post("/admin/keys/rotate").then()
                .statusCode(200);

        List<String> stored = kids();
        assertThat(stored).containsAll(manager.current().keys().stream().map(key -> key.kid()).toList());
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'jwt-keyring' }.data.database", equalTo("reachable"));
    }

    private List<String> kids() throws SQLException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(url);
        source.setUser(user);
        List<String> kids = new ArrayList<>();
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT kid FROM keyring_key")) {
            while (rows.next()) {
                kids.add(rows.getString(1));
            }
        }
        return kids;
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.jwtkeyring.store.jdbc.KeyEncryptionKey;
import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.PostgresServer;
import io.restassured.path.json.JsonPath;

/**
 * Nodes of a cluster on PostgreSQL ({@code keyring.store.type=jdbc}) as packaged-application processes in the prod
 * profile, and the calls the cluster tests make of them over HTTP and JDBC. Waits on real processes poll with a
 * deadline ({@link #await}); none relies on a fixed sleep.
 */
final class ClusterNodes {

    /** {@code keyring.store.jdbc.reload-interval} of every node: how long a key is stored before it signs. */
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(2);
    /**
     * {@code keyring.rotation.publish-ahead} of every node: twice the reload interval, so that the JWKS max-age (half
     * of it) equals the reload interval, and a key signs once it has been stored for the reload interval.
     */
    static final Duration PUBLISH_AHEAD = RELOAD_INTERVAL.multipliedBy(2);
    /** {@code keyring.rotation.check-interval} of every node. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a test waits at most for other nodes to take in a change. LISTEN/NOTIFY takes milliseconds and the
     * reload interval is a backstop; the waits return as soon as the state is there, so a generous deadline only
     * matters on a machine that is very busy (a slower JDK, other builds): the tests wait for states, not for time.
     */
    static final Duration PROPAGATION = Duration.ofSeconds(30);

    private static final Duration POLL = Duration.ofMillis(50);

    /** One login's tokens; {@code refresh} is {@code null} when the ledger could not record a refresh family. */
    record Session(String access, String refresh) {
    }

    /** A key as {@code GET /admin/keys} shows it. */
    record Key(String kid, String state, Instant created, Instant activates, Instant retires) {

        /** Whether the key has been stored for the reload interval, so that rotating to it is immediate. */
        boolean propagated(Instant now) {
            return !created.plus(RELOAD_INTERVAL).isAfter(now);
        }

        /** The same key in the same state and schedule, within the microsecond PostgreSQL keeps. */
        boolean agrees(Key other) {
            return kid.equals(other.kid) && state.equals(other.state) && close(created, other.created)
                    && close(activates, other.activates) && close(retires, other.retires);
        }

        private static boolean close(Instant a, Instant b) {
            return Duration.between(a, b).abs().compareTo(Duration.ofNanos(1000)) <= 0;
        }
    }

    /** The ring as one node holds it. */
    record Ring(List<Key> keys) {

        Key active() {
            List<Key> active = inState("ACTIVE");
            assertThat(active).as("ACTIVE keys of %s", keys).hasSize(1);
            return active.get(0);
        }

        Optional<Key> pending() {
            return inState("PENDING").stream().findFirst();
        }

        /** The same keys in the same order, each agreeing ({@link Key#agrees}). */
        boolean agrees(Ring other) {
            if (keys.size() != other.keys.size()) {
                return false;
            }
            for (int i = 0; i < keys.size(); i++) {
                if (!keys.get(i).agrees(other.keys.get(i))) {
                    return false;
                }
            }
            return true;
        }

        List<Key> inState(String state) {
            return keys.stream().filter(k -> k.state().equals(state)).toList();
        }
    }

    private ClusterNodes() {
    }

    /** A new KEK: base64 of 32 random bytes, as {@code openssl rand -base64 32} makes. */
    static String randomKek() {
        byte[] bytes = new byte[KeyEncryptionKey.LENGTH];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The id the store records beside material wrapped under {@code kek}. */
    static String kekId(String kek) {
        return key(kek).id();
    }

    /** {@code kek} as the store uses it. */
    static KeyEncryptionKey key(String kek) {
        return new KeyEncryptionKey(Base64.getDecoder().decode(kek), "test");
    }

    /** The system properties of a node on {@code database}, with the users alice, carol and admin; mutable. */
    static Map<String, String> properties(PostgresServer server, String database) {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.store.type", "jdbc");
        properties.put("quarkus.datasource.jdbc.url", server.jdbcUrl(database));
        properties.put("quarkus.datasource.username", server.user());
        properties.put("keyring.store.jdbc.reload-interval", RELOAD_INTERVAL.toString());
        properties.put("keyring.rotation.publish-ahead", PUBLISH_AHEAD.toString());
        properties.put("keyring.rotation.check-interval", CHECK_INTERVAL.toSeconds() + "s");
        for (String user : List.of("alice", "carol")) {
            properties.put("quarkus.security.users.embedded.users." + user, user);
            properties.put("quarkus.security.users.embedded.roles." + user, "user");
        }
        properties.put("quarkus.security.users.embedded.users.admin", "admin");
        properties.put("quarkus.security.users.embedded.roles.admin", "user,admin");
        return properties;
    }

    /**
     * Starts a node with {@code KEYRING_STORE_JDBC_KEK=kek}, or without a KEK if {@code kek} is {@code null}; does not wait.
     */
    static ApplicationProcess start(Map<String, String> properties, String kek) {
        return ApplicationProcess.start(properties, kek == null ? Map.of() : Map.of("KEYRING_STORE_JDBC_KEK", kek));
    }

    /** Starts a node with {@code KEYRING_STORE_JDBC_KEK=kek} and waits until it listens. */
    static ApplicationProcess started(Map<String, String> properties, String kek) throws InterruptedException {
        return started(properties, Map.of("KEYRING_STORE_JDBC_KEK", kek));
    }

    /** Starts a node with {@code environment} and waits until it listens; one that does not start in time is stopped. */
    static ApplicationProcess started(Map<String, String> properties, Map<String, String> environment)
            throws InterruptedException {
        ApplicationProcess node = ApplicationProcess.start(properties, environment);
        try {
            return node.awaitStarted();
        } catch (AssertionError | InterruptedException e) {
            node.close();
            throw e;
        }
    }

    /** Fails at once, rather than after a timeout, if the application starts. */
    static void assertStartupFails(ApplicationProcess app) throws InterruptedException {
        try {
            assertThatThrownBy(app::awaitStarted).hasMessageStartingWith("The application exited with");
        } finally {
            app.close();
        }
        assertThat(app.awaitExit()).isNotZero();
    }

    /**
     * Polls {@code condition} until it holds, failing after {@code timeout}.
     *
     * @return how long it took
     */
    static Duration await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited " + timeout.toMillis() + " ms in vain for " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static Session login(ApplicationProcess app, String user) {
        JsonPath body = given().baseUri(app.baseUri()).auth().preemptive().basic(user, user)
                .when().post("/auth/login").then().statusCode(200).extract().jsonPath();
        return new Session(body.getString("access_token"), body.getString("refresh_token"));
    }

    static Session refresh(ApplicationProcess app, String refreshToken) {
        JsonPath body = given().baseUri(app.baseUri()).formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh").then().statusCode(200).extract().jsonPath();
        return new Session(body.getString("access_token"), body.getString("refresh_token"));
    }

    static void refreshFails(ApplicationProcess app, String refreshToken) {
        given().baseUri(app.baseUri()).formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh").then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    /** The kid that signed {@code token}, as {@code GET /api/me} on {@code app} reports it (200 expected). */
    static String kid(ApplicationProcess app, String token) {
        return given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/api/me")
                .then().statusCode(200).extract().path("kid");
    }

    /** The status of {@code GET /api/me} with {@code token}. */
    static int meStatus(ApplicationProcess app, String token) {
        return given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/api/me").statusCode();
    }

    static Ring keys(ApplicationProcess app, String adminToken) {
        List<Map<String, Object>> keys = given().baseUri(app.baseUri()).auth().oauth2(adminToken)
                .when().get("/admin/keys").then().statusCode(200).extract().jsonPath().getList("$");
        return ring(keys);
    }

    /** Asks {@code app} to rotate: 200 if the successor signs at once, 202 if it is scheduled; returns the ring. */
    static Ring rotate(ApplicationProcess app, String adminToken) {
        List<Map<String, Object>> keys = given().baseUri(app.baseUri()).auth().oauth2(adminToken)
                .when().post("/admin/keys/rotate").then().statusCode(anyOf(equalTo(200), equalTo(202))).extract()
                .jsonPath().getList("$");
        return ring(keys);
    }

    /** A ring from the JSON array of {@code /admin/keys}. */
    static Ring ring(List<Map<String, Object>> keys) {
        return new Ring(keys.stream().map(k -> new Key((String) k.get("kid"), (String) k.get("state"),
                instant(k.get("created")), instant(k.get("activates")), instant(k.get("retires")))).toList());
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }

    /** The jwt-keyring readiness check's {@code data.database}, expecting the check (and readiness) UP. */
    static String databaseState(ApplicationProcess app) {
        return given().baseUri(app.baseUri()).when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).extract().jsonPath()
                .getString("checks.find { it.name == 'jwt-keyring' }.data.database");
    }

    /** The warning states readiness reports ({@code none} when there are none), comma-separated. */
    static String warnings(ApplicationProcess app) {
        return given().baseUri(app.baseUri()).when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).extract().jsonPath()
                .getString("checks.find { it.name == 'jwt-keyring' }.data.warnings");
    }

    /** Every row of {@code sql}'s result, columns by name, byte arrays as lists so that rows compare by value. */
    static List<Map<String, Object>> rows(DataSource database, String sql) {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rows.getObject(i);
                    row.put(meta.getColumnName(i), value instanceof byte[] bytes ? Arrays.toString(bytes)
                            : value == null ? null : value.toString());
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The ring as the database stores it. */
    static Ring storedRing(DataSource database) {
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT kid, state, created, activates, retires "
                        + "FROM keyring_key ORDER BY position")) {
            List<Key> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(new Key(rows.getString(1), rows.getString(2), stored(rows, 3), stored(rows, 4),
                        stored(rows, 5)));
            }
            return new Ring(keys);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant stored(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** The {@code kek_id} of every key row that holds material. */
    static List<String> kekIds(DataSource database) {
        return rows(database, "SELECT kek_id FROM keyring_key WHERE wrapped_material IS NOT NULL").stream()
                .map(r -> (String) r.get("kek_id")).toList();
    }
}

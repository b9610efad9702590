package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.ClusterNodes.assertStartupFails;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.await;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.kekId;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.kekIds;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.kid;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.login;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.rotate;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.runtime.web.ClusterNodes.Ring;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKey;
import io.github.jwtkeyring.store.pkcs12.Pkcs12SecretEntry;
import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.Keytool;
import io.github.jwtkeyring.testing.PostgresServer;

/**
 * Starting cluster nodes ({@code keyring.store.type=jdbc}) as packaged-application processes on a private PostgreSQL
 * server: a missing datasource URL or KEK, or a KEK that does not open the stored ring, stops startup with a message
 * that names the setting (and writes nothing); a KEK rotation re-wraps every key within the reload interval.
 */
class ClusterStartupIT {

    private final PostgresServer server = PostgresServer.shared();

    @Test
    void withoutDatasourceUrl_startupFailsNamingIt() throws Exception {
        Map<String, String> properties = ClusterNodes.properties(server, "unused");
        properties.remove("quarkus.datasource.jdbc.url");

        ApplicationProcess node = ClusterNodes.start(properties, ClusterNodes.randomKek());

        assertStartupFails(node);
        assertThat(node.output()).contains("keyring.store.type=jdbc needs a PostgreSQL database")
                .contains("quarkus.datasource.jdbc.url");
    }

    @Test
    void kekFromAPkcs12Entry_encryptsTheRing_andOpensItOnEveryNodeWithThatKeystore(@TempDir Path directory)
            throws Exception {
        Path keystore = directory.resolve("kek.p12");
        String password = "kek keystore password";
        Keytool.genSecKey(keystore, "jwt-keyring-kek", "AES", 256, password);
        String database = server.createDatabase();
        Map<String, String> properties = ClusterNodes.properties(server, database);
        properties.put("keyring.store.jdbc.kek-keystore.path", keystore.toString());
        Map<String, String> environment = Map.of("KEYRING_STORE_JDBC_KEK_KEYSTORE_PASSWORD", password);
        String kekId = new KeyEncryptionKey(Pkcs12SecretEntry.read(keystore, password.toCharArray(),
                "jwt-keyring-kek"), "test").id();

        try (ApplicationProcess first = ClusterNodes.started(properties, environment)) {
            String token = login(first, "alice").access();
            assertThat(rows(server.dataSource(database), "SELECT DISTINCT kek_id FROM keyring_key"))
                    .extracting(row -> row.get("kek_id")).containsExactly(kekId);
            try (ApplicationProcess second = ClusterNodes.started(properties, environment)) {
                assertThat(ClusterNodes.meStatus(second, token)).isEqualTo(200);
            }
        }
    }

    @Test
    void withoutKek_startupFailsNamingIt_andStoresNoKey() throws Exception {
        String database = server.createDatabase();

        ApplicationProcess node = ClusterNodes.start(ClusterNodes.properties(server, database), null);

        assertStartupFails(node);
        assertThat(node.output()).contains("keyring.store.type=jdbc needs a key-encryption key")
                .contains("keyring.store.jdbc.kek").contains("KEYRING_STORE_JDBC_KEK");
        DataSource dataSource = server.dataSource(database);
        // the schema may or may not have been migrated before the KEK was found missing; no ring was stored
        if (rows(dataSource, "SELECT to_regclass('keyring_key') AS migrated").get(0).get("migrated") != null) {
            assertThat(rows(dataSource, "SELECT kid FROM keyring_key")).isEmpty();
            assertThat(rows(dataSource, "SELECT version FROM keyring_ring")).extracting(r -> r.get("version"))
                    .containsExactly("0");
        }
    }

    @Test
    void secondNodeWithAnotherKek_startupFailsNamingTheKekIds_andNoRowChanges() throws Exception {
        String database = server.createDatabase();
        DataSource dataSource = server.dataSource(database);
        Map<String, String> properties = ClusterNodes.properties(server, database);
        String kek = ClusterNodes.randomKek();
        String otherKek = ClusterNodes.randomKek();
        try (ApplicationProcess first = ClusterNodes.started(properties, kek)) {
            String token = login(first, "alice").access();
            List<Map<String, Object>> before = ringRows(dataSource);

            ApplicationProcess second = ClusterNodes.start(properties, otherKek);

            assertStartupFails(second);
            assertThat(second.output()).contains("is encrypted under the key-encryption key " + kekId(kek))
                    .contains("the configured KEKs are [" + kekId(otherKek) + "]")
                    .doesNotContain(kek).doesNotContain(otherKek);
            assertThat(ringRows(dataSource)).isEqualTo(before);
            assertThat(kid(first, token)).isNotNull();
        }
    }

    /**
     * KEK rotation as the README tells operators to do it: restart with the new KEK and the old one in
     * {@code KEYRING_STORE_JDBC_KEK_PREVIOUS}; within the reload interval every key is re-wrapped, and from then on the old KEK
     * alone no longer opens the ring, while the new one alone does.
     */
    @Test
    void kekRotation_rewrapsEveryKeyWithinTheReloadInterval_andTheOldKekAloneNoLongerStarts() throws Exception {
        String database = server.createDatabase();
        DataSource dataSource = server.dataSource(database);
        Map<String, String> properties = ClusterNodes.properties(server, database);
        String oldKek = ClusterNodes.randomKek();
        String newKek = ClusterNodes.randomKek();
        String token;
        try (ApplicationProcess node = ClusterNodes.started(properties, oldKek)) {
            token = login(node, "alice").access();
            String successor = rotate(node, login(node, "admin").access()).pending().orElseThrow().kid();
            // once the rotation is done (and the next key published), nothing is due at the next start, which
            // therefore writes nothing itself
            await("the deferred rotation to be stored", ClusterNodes.PROPAGATION, () -> {
                Ring stored = ClusterNodes.storedRing(dataSource);
                return stored.active().kid().equals(successor) && stored.pending().isPresent();
            });
        }
        assertThat(kekIds(dataSource)).as("RETIRED, ACTIVE and PENDING").hasSize(3).containsOnly(kekId(oldKek));

        try (ApplicationProcess node = ClusterNodes.started(properties,
                Map.of("KEYRING_STORE_JDBC_KEK", newKek, "KEYRING_STORE_JDBC_KEK_PREVIOUS", oldKek))) {
            assertThat(kid(node, token)).as("a token signed before the KEK rotation").isNotNull();
            await("every key to be re-wrapped under the new KEK", ClusterNodes.PROPAGATION,
                    () -> kekIds(dataSource).stream().allMatch(kekId(newKek)::equals));
        }
        assertWrappedUnder(dataSource, newKek);

        ApplicationProcess old = ClusterNodes.start(properties, oldKek);
        assertStartupFails(old);
        assertThat(old.output()).contains("is encrypted under the key-encryption key " + kekId(newKek));
        try (ApplicationProcess node = ClusterNodes.started(properties, newKek)) {
            assertThat(kid(node, token)).isNotNull();
        }
    }

    /** Both tables of the ring, every column, in a stable order. */
    private static List<Map<String, Object>> ringRows(DataSource dataSource) {
        List<Map<String, Object>> rows = new ArrayList<>(rows(dataSource, "SELECT * FROM keyring_ring"));
        rows.addAll(rows(dataSource, "SELECT * FROM keyring_key ORDER BY kid"));
        return rows;
    }

    private static void assertWrappedUnder(DataSource dataSource, String kek) {
        KeyEncryptionKey key = ClusterNodes.key(kek);
        for (Map<String, Object> row : rows(dataSource, "SELECT kid, algorithm, "
                + "encode(wrapped_material, 'base64') AS wrapped FROM keyring_key")) {
            byte[] wrapped = Base64.getMimeDecoder().decode((String) row.get("wrapped"));
            assertThat(key.unwrap((String) row.get("kid"), SigningAlgorithm.fromJoseName((String) row.get("algorithm")),
                    wrapped)).isNotEmpty();
        }
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.Keytool;
import io.restassured.path.json.JsonPath;

/**
 * Derived HMAC keys across independent packaged-application processes in the prod profile: nodes that share only the
 * master secret accept each other's tokens, a node with another master does not, a missing or short master stops
 * startup, and the master can come from an entry of a PKCS#12 keystore made with {@code keytool}.
 */
class DerivedHmacIT {

    private static final String STORE_PASSWORD = "correct horse battery staple";
    private static final String MASTER_ALIAS = "jwt-keyring-hmac-master";

    @TempDir
    Path directory;

    @Test
    void nodesWithTheSameMaster_acceptEachOthersTokens_andAnotherMasterRejectsThem() throws Exception {
        String master = randomMaster(32);
        try (ApplicationProcess node1 = ApplicationProcess.start(memoryNode(), Map.of("KEYRING_HMAC_MASTER_SECRET",
                master));
                ApplicationProcess node2 = ApplicationProcess.start(memoryNode(), Map.of("KEYRING_HMAC_MASTER_SECRET",
                        master));
                ApplicationProcess node3 = ApplicationProcess.start(memoryNode(), Map.of("KEYRING_HMAC_MASTER_SECRET",
                        randomMaster(32)))) {
            node1.awaitStarted();
            node2.awaitStarted();
            node3.awaitStarted();
            String fromNode1 = login(node1);
            String fromNode2 = login(node2);

            assertThat(kid(fromNode1)).startsWith("HS256-");
            assertThat(kid(fromNode2)).startsWith("HS256-");
            assertThat(me(node2, fromNode1)).isEqualTo(kid(fromNode1));
            assertThat(me(node1, fromNode2)).isEqualTo(kid(fromNode2));
            // same kid scheme, another key: node 3 signs with its own master and refuses node 1's signature
            assertThat(me(node3, login(node3))).startsWith("HS256-");
            given().baseUri(node3.baseUri()).auth().oauth2(fromNode1).when().get("/api/me").then().statusCode(401);
        }
    }

    @Test
    void shortMaster_stopsStartupClearly() throws Exception {
        String master = randomMaster(16);
        ApplicationProcess app = ApplicationProcess.start(memoryNode(), Map.of("KEYRING_HMAC_MASTER_SECRET", master));
        assertStartupFails(app);
        assertThat(app.output()).contains("keyring.hmac.master-secret").contains("16 bytes").contains("32")
                .doesNotContain(master);
    }

    @Test
    void shortMasterInTheKeystore_stopsStartupClearly() throws Exception {
        Path keystore = directory.resolve("master.p12");
        keytoolGenSecKey(keystore, 128);
        ApplicationProcess app = ApplicationProcess.start(keystoreNode(keystore),
                Map.of("KEYRING_STORE_PKCS12_PASSWORD", STORE_PASSWORD));
        assertStartupFails(app);
        assertThat(app.output()).contains("'" + MASTER_ALIAS + "'").contains(keystore.toString()).contains("16 bytes")
                .contains("32");
    }

    @Test
    void missingMaster_withTheMemoryStore_stopsStartupClearly() throws Exception {
        ApplicationProcess app = ApplicationProcess.start(memoryNode(), Map.of());
        assertStartupFails(app);
        assertThat(app.output()).contains("keyring.hmac.mode=derived needs a master secret")
                .contains("keyring.hmac.master-secret").contains("KEYRING_HMAC_MASTER_SECRET");
    }

    @Test
    void masterFromAKeytoolKeystore_isSharedByNodesWithACopyOfIt() throws Exception {
        Path first = Files.createDirectories(directory.resolve("node1")).resolve("master.p12");
        Path second = Files.createDirectories(directory.resolve("node2")).resolve("master.p12");
        keytoolGenSecKey(first, 256);
        Files.copy(first, second);
        byte[] before = Files.readAllBytes(first);

        try (ApplicationProcess node1 = ApplicationProcess.start(keystoreNode(first),
                Map.of("KEYRING_STORE_PKCS12_PASSWORD", STORE_PASSWORD));
                ApplicationProcess node2 = ApplicationProcess.start(keystoreNode(second),
                        Map.of("KEYRING_STORE_PKCS12_PASSWORD", STORE_PASSWORD))) {
            node1.awaitStarted();
            node2.awaitStarted();
            String fromNode1 = login(node1);

            assertThat(kid(fromNode1)).startsWith("HS256-");
            assertThat(me(node2, fromNode1)).isEqualTo(kid(fromNode1));
            assertThat(me(node1, login(node2))).isEqualTo(kid(fromNode1));
        }
        assertThat(Files.readAllBytes(first)).as("derived mode only reads the keystore").isEqualTo(before);
    }

    private static Map<String, String> memoryNode() {
        Map<String, String> properties = derivedNode();
        properties.put("keyring.store.type", "memory");
        return properties;
    }

    private static Map<String, String> keystoreNode(Path keystore) {
        Map<String, String> properties = derivedNode();
        properties.put("keyring.store.pkcs12.path", keystore.toString());
        return properties;
    }

    private static Map<String, String> derivedNode() {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.algorithm", "HS256");
        properties.put("keyring.hmac.mode", "derived");
        properties.put("quarkus.security.users.embedded.users.alice", "alice");
        properties.put("quarkus.security.users.embedded.roles.alice", "user");
        return properties;
    }

    /** Creates {@code keystore} with one HMAC secret of {@code bits}, as an operator would. */
    private static void keytoolGenSecKey(Path keystore, int bits) throws Exception {
        Keytool.genSecKey(keystore, MASTER_ALIAS, "HmacSHA256", bits, STORE_PASSWORD);
    }

    /** Fails at once, rather than after a timeout, if the application starts. */
    private static void assertStartupFails(ApplicationProcess app) throws InterruptedException {
        try {
            assertThatThrownBy(app::awaitStarted).hasMessageStartingWith("The application exited with");
        } finally {
            app.close();
        }
        assertThat(app.awaitExit()).isNotZero();
    }

    private static String randomMaster(int bytes) {
        byte[] master = new byte[bytes];
        new SecureRandom().nextBytes(master);
        return Base64.getEncoder().encodeToString(master);
    }

    private static String login(ApplicationProcess app) {
        return given().baseUri(app.baseUri()).auth().preemptive().basic("alice", "alice").when().post("/auth/login")
                .then().statusCode(200).extract().path("access_token");
    }

    private static String me(ApplicationProcess app, String token) {
        return given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/api/me")
                .then().statusCode(200).extract().path("kid");
    }

    private static String kid(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        return new JsonPath(header).getString("kid");
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.github.jwtkeyring.runtime.web.ClusterNodes.PROPAGATION;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.await;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.keys;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.kid;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.login;
import static io.github.jwtkeyring.runtime.web.ClusterNodes.meStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.store.pkcs11.Pkcs11KeyCustody;
import io.github.jwtkeyring.testing.ApplicationProcess;
import io.github.jwtkeyring.testing.PostgresServer;
import io.github.jwtkeyring.testing.SoftHsm;

/**
 * The packaged service with {@code keyring.custody.type=pkcs11} on a real SoftHSM2 token: configuration problems all at
 * once, a wrong PIN, a restart (same ACTIVE key, old tokens verify), and two nodes sharing one token and one PostgreSQL
 * metadata store.
 */
class Pkcs11CustodySoftHsmIT {

    private static final String PIN = "8642";

    @TempDir
    Path directory;

    @Test
    void custodySettings_areCheckedWithTheRest_allAtOnce_withoutAStackTrace() throws Exception {
        Map<String, String> properties = singleNode();
        properties.remove("keyring.custody.pkcs11.library");
        properties.remove("keyring.custody.pkcs11.slot");
        properties.put("keyring.algorithm", "EdDSA");
        properties.put("keyring.rsa-key-bits", "1024");
        ApplicationProcess app = ApplicationProcess.start(properties, Map.of("KEYRING_STORE_PKCS12_PASSWORD", "pw"));

        assertThat(app.awaitExit()).isNotZero();
        assertThat(app.output()).contains("JWT Keyring cannot start: 5 configuration problems")
                .contains("keyring.custody.pkcs11.library: is not set")
                .contains(
                        "keyring.custody.pkcs11.slot: or keyring.custody.pkcs11.slot-index or keyring.custody.pkcs11.token-label must be set")
                .contains("keyring.custody.pkcs11.pin: is not set")
                .contains("keyring.algorithm: EdDSA keys cannot be kept on a PKCS#11 token")
                .contains("keyring.rsa-key-bits")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void hmacOnTheToken_needsVerificationOffTheEventLoop() throws Exception {
        Map<String, String> properties = singleNode();
        properties.put("keyring.algorithm", "HS256");
        assertThat(refusedStart(properties, PIN))
                .contains("keyring.algorithm: HS256 keys on a PKCS#11 token verify on the token")
                .contains("quarkus.smallrye-jwt.blocking-authentication=true").doesNotContain("\tat ");
    }

    @Test
    void wrongPin_stopsStartup_namingTheSetting_neverThePin() throws Exception {
        SoftHsm.Token token = SoftHsm.token("it-wrong-pin", PIN);
        Map<String, String> properties = singleNode();
        properties.putAll(custody(token));
        assertThat(refusedStart(properties, "0000")).contains("JWT Keyring cannot start: Cannot log in to the PKCS#11 token")
                .contains("the PIN is wrong (keyring.custody.pkcs11.pin)").doesNotContain("0000")
                .doesNotContain("\tat ");
    }

    @Test
    void tokenLabel_withoutTheJvmExport_namesTheOptionAndTheAlternative() throws Exception {
        SoftHsm.Token token = SoftHsm.token("it-label", PIN);
        Map<String, String> properties = singleNode();
        properties.remove("keyring.custody.pkcs11.slot");
        properties.put("keyring.custody.pkcs11.token-label", token.label());
        assertThat(refusedStart(properties, PIN)).contains("keyring.custody.pkcs11.token-label needs the JVM option "
                + "--add-exports=jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED")
                .contains("or set keyring.custody.pkcs11.slot").doesNotContain("\tat ");
    }

    @Test
    void restart_keepsTheActiveKeyOnTheToken_andItsTokensVerify() throws Exception {
        SoftHsm.Token token = SoftHsm.token("it-restart", PIN);
        Map<String, String> properties = singleNode();
        properties.putAll(custody(token));
        Map<String, String> environment = Map.of("KEYRING_STORE_PKCS12_PASSWORD", "pw",
                "KEYRING_CUSTODY_PKCS11_PIN", PIN);
        String access;
        String activeKid;
        try (ApplicationProcess app = ClusterNodes.started(properties, environment)) {
            access = login(app, "alice").access();
            activeKid = kid(app, access);
            assertThat(activeKid).startsWith("jk-");
        }
        try (ApplicationProcess app = ClusterNodes.started(properties, environment)) {
            assertThat(kid(app, access)).isEqualTo(activeKid);
            assertThat(kid(app, login(app, "alice").access())).isEqualTo(activeKid);
            assertThat(app.output()).doesNotContain("Removed key");
        }
        assertThat(onToken(token)).contains(activeKid).hasSize(2);
    }

    @Test
    void twoNodes_shareOneTokenAndOneDatabase() throws Exception {
        SoftHsm.Token token = SoftHsm.token("it-cluster", PIN);
        PostgresServer server = PostgresServer.shared();
        Map<String, String> properties = ClusterNodes.properties(server, server.createDatabase());
        properties.putAll(custody(token));
        Map<String, String> environment = Map.of("KEYRING_STORE_JDBC_KEK", ClusterNodes.randomKek(),
                "KEYRING_CUSTODY_PKCS11_PIN", PIN);
        try (ApplicationProcess a = ClusterNodes.started(properties, environment);
                ApplicationProcess b = ClusterNodes.started(properties, environment)) {
            String alice = login(a, "alice").access();
            String oldKid = kid(b, alice);

            String admin = login(b, "admin").access();
            given().baseUri(b.baseUri()).auth().oauth2(admin).queryParam("force", true).when()
                    .post("/admin/keys/rotate").then().statusCode(200);
            String newKid = keys(b, admin).active().kid();
            await("node A signing with the key node B made on the token", PROPAGATION,
                    () -> newKid.equals(kid(a, login(a, "alice").access())));

            given().baseUri(a.baseUri()).auth().oauth2(login(a, "admin").access()).when()
                    .post("/admin/keys/" + oldKid + "/revoke").then().statusCode(200);
            await("node B rejecting the revoked key's token", PROPAGATION, () -> meStatus(b, alice) == 401);
            Set<String> held = onToken(token);
            assertThat(held).doesNotContain(oldKid).contains(newKid);
            // the admin token of before was signed by the revoked key
            assertThat(held).containsExactlyInAnyOrderElementsOf(keys(a, login(a, "admin").access()).keys().stream()
                    .filter(k -> List.of("ACTIVE", "PENDING", "RETIRED").contains(k.state()))
                    .map(ClusterNodes.Key::kid).toList());
        }
    }

    /** Starts the service with {@code pin}, expects it to stop, and returns what it printed. */
    private static String refusedStart(Map<String, String> properties, String pin) throws InterruptedException {
        ApplicationProcess app = ApplicationProcess.start(properties, Map.of("KEYRING_STORE_PKCS12_PASSWORD", "pw",
                "KEYRING_CUSTODY_PKCS11_PIN", pin));
        assertThat(app.awaitExit()).isNotZero();
        return app.output();
    }

    private Map<String, String> singleNode() {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.store.pkcs12.path", directory.resolve("keyring.p12").toString());
        properties.put("keyring.custody.type", "pkcs11");
        properties.put("keyring.custody.pkcs11.library", SoftHsm.DEBIAN_LIBRARY.toString());
        properties.put("keyring.custody.pkcs11.slot", "1");
        properties.put("quarkus.security.users.embedded.users.alice", "alice");
        properties.put("quarkus.security.users.embedded.roles.alice", "user");
        return properties;
    }

    /** The token through the Debian library path itself: each service process loads it once, after the token exists. */
    private static Map<String, String> custody(SoftHsm.Token token) {
        return Map.of("keyring.custody.type", "pkcs11",
                "keyring.custody.pkcs11.library", SoftHsm.DEBIAN_LIBRARY.toString(),
                "keyring.custody.pkcs11.slot", Long.toString(token.slot()));
    }

    private static Set<String> onToken(SoftHsm.Token token) {
        try (Pkcs11KeyCustody custody = Pkcs11KeyCustody.open(token.freshSlot(), token.pin().toCharArray(), 2048,
                Pkcs11KeyCustody.DEFAULT_LABEL_PREFIX)) {
            return custody.kids();
        }
    }
}

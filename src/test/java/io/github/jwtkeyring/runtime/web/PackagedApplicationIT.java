package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;
import io.github.jwtkeyring.store.pkcs12.Pkcs12Storage;
import io.github.jwtkeyring.testing.ApplicationProcess;

/**
 * The packaged application in the prod profile on the embedded default store: the ring survives a restart, and a
 * keystore that cannot be opened stops startup with a clear message and stays byte for byte as it was.
 */
class PackagedApplicationIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path directory;

    @Test
    void restart_keepsTheActiveKey_andOldTokensStillVerify() throws Exception {
        String token;
        String activeKid;
        List<String> kidsBefore;
        try (ApplicationProcess app = start(PASSWORD).awaitStarted()) {
            // the ring's gauges are there from the start, before any token was issued or verified
            given().baseUri(app.baseUri()).when().get("/q/metrics").then().statusCode(200)
                    .body(containsString("keyring_keys{state=\"ACTIVE\"} 1.0"))
                    .body(containsString("keyring_warning{warning=\"rotation-overdue\"} 0.0"));
            token = login(app, "alice");
            activeKid = me(app, token);
            kidsBefore = keys(app);
            // the OpenAPI document is served in production too; Swagger UI only in dev and test mode
            given().baseUri(app.baseUri()).when().get("/q/openapi").then().statusCode(200);
            given().baseUri(app.baseUri()).when().get("/q/swagger-ui/").then().statusCode(404);
        }
        assertThat(Files.exists(keystore())).isTrue();

        try (ApplicationProcess app = start(PASSWORD).awaitStarted()) {
            assertThat(me(app, token)).isEqualTo(activeKid);
            assertThat(me(app, login(app, "alice"))).isEqualTo(activeKid);
            assertThat(keys(app)).isEqualTo(kidsBefore);
        }
    }

    @Test
    void wrongPassword_stopsStartupClearly_andLeavesTheFileUntouched() throws Exception {
        writeRing();
        byte[] before = Files.readAllBytes(keystore());

        ApplicationProcess app = start("not the password");
        assertThat(app.awaitExit()).isNotZero();

        assertThat(app.output()).contains(keystore().toString())
                .contains("the password (keyring.store.pkcs12.password) is wrong or the file is damaged")
                .contains("[io.github.jwtkeyring.audit]").contains("\"action\":\"startup.refused\"")
                .doesNotContain("not the password");
        assertThat(Files.readAllBytes(keystore())).isEqualTo(before);
    }

    @Test
    void corruptedKeystore_stopsStartupClearly_andLeavesTheFileUntouched() throws Exception {
        writeRing();
        byte[] corrupted = Files.readAllBytes(keystore());
        corrupted[corrupted.length / 2] ^= 0x5a;
        Files.write(keystore(), corrupted);

        ApplicationProcess app = start(PASSWORD);
        assertThat(app.awaitExit()).isNotZero();

        assertThat(app.output()).contains("The key store " + keystore() + " cannot be opened");
        assertThat(Files.readAllBytes(keystore())).isEqualTo(corrupted);
    }

    @Test
    void missingPasswordInProduction_stopsStartupClearly() throws Exception {
        ApplicationProcess app = ApplicationProcess.start(properties(), Map.of());
        assertThat(app.awaitExit()).isNotZero();
        assertThat(app.output()).contains("keyring.store.pkcs12.password: is not set")
                .contains("KEYRING_STORE_PKCS12_PASSWORD");
        assertThat(Files.exists(keystore())).isFalse();
    }

    @Test
    void aSecondProcessOnTheSameStore_stopsAtStartupNamingTheFirst_whichGoesOnServing() throws Exception {
        try (ApplicationProcess first = start(PASSWORD).awaitStarted()) {
            String token = login(first, "alice");
            byte[] keystore = Files.readAllBytes(keystore());

            ApplicationProcess second = start(PASSWORD);
            assertThat(second.awaitExit()).isNotZero();
            assertThat(second.output()).contains("is in use by another process (process " + first.pid() + " on ")
                    .contains("keyring.p12.lock").doesNotContain("\tat ");
            assertThat(Files.readAllBytes(keystore())).isEqualTo(keystore);
            assertThat(me(first, token)).isNotBlank();
        }
        try (ApplicationProcess again = start(PASSWORD).awaitStarted()) {
            assertThat(login(again, "alice")).isNotBlank();
        }
    }

    @Test
    void aKilledProcess_leavesNoLockBehind() throws Exception {
        ApplicationProcess killed = start(PASSWORD).awaitStarted();
        killed.kill();

        try (ApplicationProcess next = start(PASSWORD).awaitStarted()) {
            assertThat(login(next, "alice")).isNotBlank();
        }
    }

    @Test
    void aKeystoreWhoseJournalWasDeleted_stopsStartup_untilTheOperatorAcceptsTheLoss() throws Exception {
        try (ApplicationProcess app = start(PASSWORD).awaitStarted()) {
            login(app, "alice");
        }
        Path journal = directory.resolve("keyring.p12.journal");
        Files.delete(journal);
        byte[] keystore = Files.readAllBytes(keystore());

        ApplicationProcess refused = start(PASSWORD);
        assertThat(refused.awaitExit()).isNotZero();
        assertThat(refused.output()).contains(journal + " does not")
                .contains("keyring.store.pkcs12.accept-missing=journal").doesNotContain("\tat ");
        assertThat(Files.readAllBytes(keystore())).isEqualTo(keystore);
        assertThat(journal).doesNotExist();

        Map<String, String> accepting = properties();
        accepting.put("keyring.store.pkcs12.accept-missing", "journal");
        try (ApplicationProcess app = ApplicationProcess
                .start(accepting, Map.of("KEYRING_STORE_PKCS12_PASSWORD", PASSWORD)).awaitStarted()) {
            assertThat(app.output()).contains("starting without it");
        }
        assertThat(journal).exists();
    }

    private ApplicationProcess start(String password) {
        return ApplicationProcess.start(properties(), Map.of("KEYRING_STORE_PKCS12_PASSWORD", password));
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.store.pkcs12.path", keystore().toString());
        properties.put("quarkus.security.users.embedded.users.alice", "alice");
        properties.put("quarkus.security.users.embedded.roles.alice", "user");
        properties.put("quarkus.security.users.embedded.users.admin", "admin");
        properties.put("quarkus.security.users.embedded.roles.admin", "user,admin");
        return properties;
    }

    private Path keystore() {
        return directory.resolve("keyring.p12");
    }

    /** A keystore with a ring, and its (empty) journal beside it, as the application leaves them. */
    private void writeRing() {
        RotationPolicy policy = new RotationPolicy(SigningAlgorithm.ES256, Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(60));
        Rotation rotation = new Rotation(policy, new JdkKeyGenerator(new SecureRandom(), 2048));
        try (Pkcs12Storage storage = new Pkcs12Storage(keystore(), PASSWORD.toCharArray(),
                directory.resolve("keyring.p12.journal"))) {
            storage.keyRing().save(rotation.bootstrap(Instant.now()));
        }
    }

    private static String login(ApplicationProcess app, String user) {
        return given().baseUri(app.baseUri()).auth().preemptive().basic(user, user).when().post("/auth/login")
                .then().statusCode(200).extract().path("access_token");
    }

    private static String me(ApplicationProcess app, String token) {
        return given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/api/me")
                .then().statusCode(200).extract().path("kid");
    }

    private static List<String> keys(ApplicationProcess app) {
        return given().baseUri(app.baseUri()).auth().oauth2(login(app, "admin")).when().get("/admin/keys")
                .then().statusCode(200).extract().jsonPath().getList("kid");
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.testing.ApplicationProcess;

/**
 * How the packaged application answers its configuration: every problem named at once, each with its key and what would
 * be valid, without a stack trace; and the keys renamed when the storage settings were grouped still work, with a
 * deprecation warning.
 */
class ConfigurationIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path directory;

    @Test
    void severalBadSettings_areAllReportedAtOnce_withoutAStackTrace() throws Exception {
        Map<String, String> properties = properties();
        properties.put("keyring.rotation.publish-ahead", "P2D");
        properties.put("keyring.refresh.lifetime", "PT1M");
        properties.put("keyring.verify.cache.max-size", "-1");
        properties.put("keyring.rsa-key-bits", "1024");
        ApplicationProcess app = ApplicationProcess.start(properties, Map.of("KEYRING_STORE_PKCS12_PASSWORD", "pässword"));

        assertThat(app.awaitExit()).isNotZero();
        assertThat(app.output()).contains("JWT Keyring cannot start: 5 configuration problems")
                .contains("keyring.rotation.publish-ahead: (PT48H) must be shorter than keyring.rotation.period (PT24H)")
                .contains("keyring.refresh.lifetime: (PT1M) must be longer than keyring.token.lifetime (PT5M)")
                .contains("keyring.verify.cache.max-size: must not be negative")
                .contains("keyring.rsa-key-bits: RSA keys need at least 2048 bits")
                .contains("keyring.store.pkcs12.password: must be a non-empty string of printable ASCII characters")
                .contains("{\"time\":").contains("\"action\":\"startup.refused\",\"by\":\"startup\"")
                .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("pässword");
        assertThat(Files.exists(keystore())).isFalse();
    }

    @Test
    void unknownStoreType_namesTheValidOnes() throws Exception {
        Map<String, String> properties = properties();
        properties.put("keyring.store.type", "redis");
        ApplicationProcess app = ApplicationProcess.start(properties, Map.of());

        assertThat(app.awaitExit()).isNotZero();
        assertThat(app.output()).contains("keyring.store.type: 'redis' is not a storage technology of this "
                + "application; valid: jdbc, memory, pkcs12.").doesNotContain("\tat ");
    }

    @Test
    void renamedKeys_stillWork_withADeprecationWarning_andTheNewNamesFindTheSameRing() throws Exception {
        Map<String, String> old = properties();
        old.remove("keyring.store.pkcs12.path");
        old.put("keyring.store.path", keystore().toString());
        String kid;
        try (ApplicationProcess app = ApplicationProcess.start(old, Map.of("KEYRING_STORE_PASSWORD", PASSWORD))
                .awaitStarted()) {
            kid = activeKid(app);
            assertThat(app.output())
                    .contains("keyring.store.path is deprecated: use keyring.store.pkcs12.path instead")
                    .contains("keyring.store.password is deprecated: use keyring.store.pkcs12.password instead");
        }
        assertThat(Files.exists(keystore())).isTrue();

        try (ApplicationProcess app = ApplicationProcess
                .start(properties(), Map.of("KEYRING_STORE_PKCS12_PASSWORD", PASSWORD)).awaitStarted()) {
            assertThat(activeKid(app)).isEqualTo(kid);
            assertThat(app.output()).doesNotContain("deprecated");
        }
    }

    private Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("keyring.store.pkcs12.path", keystore().toString());
        properties.put("quarkus.security.users.embedded.users.admin", "admin");
        properties.put("quarkus.security.users.embedded.roles.admin", "user,admin");
        return properties;
    }

    private Path keystore() {
        return directory.resolve("keyring.p12");
    }

    private static String activeKid(ApplicationProcess app) {
        String token = given().baseUri(app.baseUri()).auth().preemptive().basic("admin", "admin").when()
                .post("/auth/login").then().statusCode(200).extract().path("access_token");
        return given().baseUri(app.baseUri()).auth().oauth2(token).when().get("/admin/keys").then().statusCode(200)
                .extract().jsonPath().getString("find { it.state == 'ACTIVE' }.kid");
    }
}

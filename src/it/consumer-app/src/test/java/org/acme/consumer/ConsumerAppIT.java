package org.acme.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The same against the packaged application ({@code target/quarkus-app}, prod profile, the embedded PKCS#12 store).
 */
@QuarkusIntegrationTest
class ConsumerAppIT extends ConsumerAppTest {

    @Test
    @Override
    void theEmbeddedStore_bringsNoDatabaseNoFlywayAndNoUsersRealm() {
        String log = log();
        String features = log.lines().filter(line -> line.contains("Installed features")).findFirst().orElseThrow();
        assertThat(features).contains("smallrye-jwt", "rest")
                .doesNotContain("agroal", "flyway", "jdbc-postgresql", "narayana", "security-properties-file",
                        "smallrye-openapi", "swagger-ui", "micrometer", "scheduler");
        assertThat(log).contains("POST /auth/login cannot log anyone in")
                .doesNotContain("in-memory key pair").contains("JWT Keyring: bearer tokens of issuer "
                        + "'https://consumer.example' are verified with the key ring only");
    }

    private static String log() {
        try {
            return Files.readString(Path.of("target", "quarkus.log"));
        } catch (Exception e) {
            throw new AssertionError("the packaged application's log target/quarkus.log cannot be read", e);
        }
    }
}

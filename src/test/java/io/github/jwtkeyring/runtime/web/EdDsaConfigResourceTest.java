package io.github.jwtkeyring.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code keyring.algorithm=EdDSA}, spelled as the README and RFC 8037 spell it, configures Ed25519 keys.
 */
@QuarkusTest
@TestProfile(EdDsaConfigResourceTest.EdDsa.class)
class EdDsaConfigResourceTest {

    /** The algorithm in its JOSE spelling. */
    public static class EdDsa implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyring.algorithm", "EdDSA");
        }
    }

    @Inject
    KeyRingManager manager;

    @Test
    void algorithmSpelledEdDSA_makesEd25519KeysThatSignAndVerify() {
        assertThat(manager.current().active().algorithm()).isEqualTo(SigningAlgorithm.EDDSA);
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid"))
                .isEqualTo(manager.current().active().kid());
    }
}

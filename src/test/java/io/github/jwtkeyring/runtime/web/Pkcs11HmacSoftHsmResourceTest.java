package io.github.jwtkeyring.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.SoftHsmTokenResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * HS256 keys as secret keys on a real SoftHSM2 token: the MAC is computed and checked on the token, with bearer tokens
 * verified on a worker thread ({@code quarkus.smallrye-jwt.blocking-authentication=true}, which the module requires
 * for HMAC keys on a token). The PIN comes from a {@code CredentialsProvider}, as from a secret store.
 */
@QuarkusTest
@TestProfile(Pkcs11HmacSoftHsmResourceTest.HmacOnSoftHsm.class)
class Pkcs11HmacSoftHsmResourceTest {

    /** HS256 on a fresh SoftHSM2 token. */
    public static class HmacOnSoftHsm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyring.algorithm", "HS256", "quarkus.smallrye-jwt.blocking-authentication", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SoftHsmTokenResource.class, Map.of("pin", "credentials-provider")));
        }
    }

    @Inject
    KeyRingManager manager;

    @Test
    void hmacKeysOnTheToken_signAndVerifyThere_acrossARotation() {
        KeyMaterial active = manager.current().active().requireMaterial();
        assertThat(active.algorithm()).isEqualTo(SigningAlgorithm.HS256);
        assertThat(active.custody()).isPresent();
        assertThat(active.signingKey().getEncoded()).isNull();

        String alice = Http.login("alice", "alice");
        String oldKid = Http.me(alice).getString("kid");
        assertThat(oldKid).startsWith("jk-hs-");

        String unused = Http.login("alice", "alice"); // first verified after the rotation: no cache entry

        manager.rotate(oldKid, true);
        assertThat(Http.me(unused).getString("kid")).as("a RETIRED key's MAC, checked on the token")
                .isEqualTo(oldKid);
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid")).isEqualTo(manager.current().active().kid())
                .isNotEqualTo(oldKid);
        int at = alice.length() - 2; // a MAC byte, not the last character's unused bits
        Http.assertRejected(alice.substring(0, at) + (alice.charAt(at) == 'A' ? 'B' : 'A') + alice.substring(at + 1));
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.custody.CustodyWatch;
import io.github.jwtkeyring.store.pkcs11.Pkcs11KeyCustody;
import io.github.jwtkeyring.testing.SoftHsm;
import io.github.jwtkeyring.testing.SoftHsmTokenResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's walk-through with {@code keyring.custody.type=pkcs11} on a real SoftHSM2 token: login, a protected
 * call, the JWKS, a rotation that keeps the old token valid, a revocation that removes the key from the token.
 */
@QuarkusTest
@TestProfile(Pkcs11CustodySoftHsmResourceTest.OnSoftHsm.class)
class Pkcs11CustodySoftHsmResourceTest {

    /** Keys on a fresh SoftHSM2 token, metadata in a PKCS#12 manifest. */
    public static class OnSoftHsm implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SoftHsmTokenResource.class));
        }
    }

    @Inject
    KeyRingManager manager;

    @Inject
    CustodyWatch watch;

    @Test
    void walkThrough_signsOnTheToken_rotatesAndRevokesThere() {
        KeyMaterial active = manager.current().active().requireMaterial();
        assertThat(active.custody()).map(c -> c.name()).contains(Pkcs11KeyCustody.NAME);
        assertThat(active.algorithm()).isEqualTo(SigningAlgorithm.ES256);

        String alice = Http.login("alice", "alice");
        String oldKid = Http.me(alice).getString("kid");
        assertThat(oldKid).startsWith("jk-").isEqualTo(manager.current().active().kid());
        List<Map<String, Object>> jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200)
                .extract().jsonPath().getList("keys");
        assertThat(jwks).extracting(k -> k.get("kid")).containsExactlyInAnyOrderElementsOf(onToken());
        assertThat(jwks).allSatisfy(k -> assertThat(k).doesNotContainKeys("d", "p", "q", "k"));

        String admin = Http.login("admin", "admin");
        given().auth().oauth2(admin).queryParam("force", true).when().post("/admin/keys/rotate").then()
                .statusCode(200);
        String newKid = manager.current().active().kid();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(Http.me(alice).getString("kid")).as("the old token still verifies").isEqualTo(oldKid);
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid")).isEqualTo(newKid);

        given().auth().oauth2(Http.login("admin", "admin")).when().post("/admin/keys/" + oldKid + "/revoke").then()
                .statusCode(200);
        Http.assertRejected(alice);
        assertThat(onToken()).doesNotContain(oldKid).contains(newKid);
    }

    @Test
    void unreachableToken_signingAnswers503_verificationGoesOn_andTheWatchReconnects() throws Exception {
        String alice = Http.login("alice", "alice");
        String refresh = Http.loginResponse("alice", "alice").getString("refresh_token");
        Path directory = SoftHsmTokenResource.current().directory();
        Path away = directory.getParent().resolveSibling(directory.getFileName() + ".away"); // outside the token directory

        Files.move(directory, away);
        try {
            given().auth().preemptive().basic("alice", "alice").when().post("/auth/login").then().statusCode(503)
                    .header("Retry-After", "5").body("error", equalTo("temporarily_unavailable"));
            assertThat(Http.me(alice).getString("sub")).as("verification goes on").isEqualTo("alice");
            given().formParam("refresh_token", refresh).when().post("/auth/refresh").then().statusCode(503)
                    .header("Retry-After", "5");
            watch.check();
            assertThat(watch.problem()).isPresent();
            given().when().get("/q/health/ready").then().statusCode(200).body("checks[0].data.custody",
                    equalTo("unreachable"));
        } finally {
            Files.move(away, directory);
        }

        // the watch loads the library afresh at most once per backoff wait (10 s at first): wait for the state
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        do {
            watch.check();
        } while (watch.problem().isPresent() && System.nanoTime() < deadline && pause());

        assertThat(watch.problem()).isEmpty();
        given().when().get("/q/health/ready").then().statusCode(200).body("checks[0].data.custody", nullValue());
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid")).isEqualTo(manager.current().active().kid());
        assertThat(Http.me(alice).getString("sub")).isEqualTo("alice");
        assertThat(Http.refresh(refresh).getString("access_token")).as("the refresh refused during the outage was "
                + "not spent: the retry succeeds, and the family is not taken for stolen").isNotBlank();
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static java.util.Set<String> onToken() {
        SoftHsm.Token token = SoftHsmTokenResource.current();
        try (Pkcs11KeyCustody custody = Pkcs11KeyCustody.open(token.freshSlot(), token.pin().toCharArray(), 2048,
                Pkcs11KeyCustody.DEFAULT_LABEL_PREFIX)) {
            return custody.kids();
        }
    }
}

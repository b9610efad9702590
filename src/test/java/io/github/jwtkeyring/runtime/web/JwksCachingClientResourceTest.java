package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A verifier elsewhere that caches the JWKS as HTTP says it may (for its {@code max-age}, revalidating with its
 * {@code ETag}) never meets a kid it does not know, across scheduled rotations and rotations on demand asked at every
 * moment; and the test has teeth: a forced rotation, which skips the guarantee, does make it meet one.
 */
@QuarkusTest
@TestProfile(JwksCachingClientResourceTest.ShortPeriods.class)
class JwksCachingClientResourceTest {

    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

    /** A key an hour, the next published ten minutes ahead: a JWKS max-age of five minutes. */
    public static class ShortPeriods implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyring.rotation.period", "PT1H", "keyring.rotation.publish-ahead", "PT10M");
        }
    }

    /** The verifier's cache: the kids it knows, until when, and the tag to revalidate with. */
    private final class CachingVerifier {

        private Set<String> kids = Set.of();
        private Instant freshUntil = Instant.MIN;
        private String etag;

        boolean knows(String kid) {
            if (!clock.instant().isBefore(freshUntil)) {
                fetch();
            }
            return kids.contains(kid);
        }

        private void fetch() {
            Response response = etag == null ? given().when().get("/.well-known/jwks.json")
                    : given().header("If-None-Match", etag).when().get("/.well-known/jwks.json");
            if (response.statusCode() == 200) {
                kids = new HashSet<>(response.jsonPath().<String> getList("keys.kid"));
                etag = response.header("ETag");
            } else {
                assertThat(response.statusCode()).isEqualTo(304);
            }
            Matcher maxAge = MAX_AGE.matcher(response.header("Cache-Control"));
            freshUntil = clock.instant().plusSeconds(maxAge.find() ? Long.parseLong(maxAge.group(1)) : 0);
        }
    }

    @Inject
    TestClock clock;

    @Inject
    KeyRingManager manager;

    @Test
    void aCachingVerifier_neverMeetsAnUnknownKid_acrossScheduledAndOnDemandRotations() {
        CachingVerifier verifier = new CachingVerifier();
        Set<String> signers = new HashSet<>();
        for (int minute = 0; minute < 4 * 60; minute++) {
            if (minute % 17 == 3 || minute % 43 == 0) {
                int status = given().auth().oauth2(Http.login("admin", "admin")).when().post("/admin/keys/rotate")
                        .then().extract().statusCode();
                assertThat(status).isIn(200, 202);
            }
            String kid = manager.signingKey(Duration.ofMinutes(5)).kid();
            signers.add(kid);
            assertThat(verifier.knows(kid)).as("minute %d: the kid %s of a fresh token", minute, kid).isTrue();
            clock.advance(Duration.ofMinutes(1));
            manager.tick();
        }
        assertThat(signers).as("keys that signed over four hours").hasSizeGreaterThan(6);
    }

    @Test
    void control_aForcedRotation_makesTheCachingVerifierMeetAnUnknownKid() {
        CachingVerifier verifier = new CachingVerifier();
        clock.advance(Duration.ofHours(2));
        manager.tick();
        assertThat(verifier.knows(manager.current().active().kid())).isTrue();
        given().auth().oauth2(Http.login("admin", "admin")).queryParam("force", true).when().post("/admin/keys/rotate").then()
                .statusCode(200);
        given().auth().oauth2(Http.login("admin", "admin")).queryParam("force", true).when()
                .post("/admin/keys/rotate").then().statusCode(200);

        assertThat(verifier.knows(manager.current().active().kid())).isFalse();
    }

}

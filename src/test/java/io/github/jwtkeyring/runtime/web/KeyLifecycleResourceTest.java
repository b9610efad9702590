package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The key lifecycle seen through real HTTP: rotation never breaks a live token, a RETIRED key stops verifying once its
 * retire window is over, a revoked key's tokens fail at once, and the JWKS follows every step.
 */
@QuarkusTest
class KeyLifecycleResourceTest {

    private static final List<String> PRIVATE_JWK_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "k", "oth");

    @Inject
    TestClock clock;

    @Inject
    KeyRingManager manager;

    @Test
    void rotate_oldTokenStillVerifiesWhileRetired_thenFailsAfterRetireWindow() {
        String admin = Http.login("admin", "admin");
        String oldToken = Http.login("alice", "alice");
        String oldKid = Http.me(oldToken).getString("kid");

        List<Map<String, Object>> keys = rotate(admin);
        assertThat(stateOf(keys, oldKid)).isEqualTo("RETIRED");
        String newKid = kidInState(keys, "ACTIVE");
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(kidInState(keys, "PENDING")).isNotNull();

        assertThat(Http.me(oldToken).getString("kid")).isEqualTo(oldKid);
        assertThat(Http.me(Http.login("alice", "alice")).getString("kid")).isEqualTo(newKid);
        assertThat(jwksKids()).contains(oldKid, newKid);

        KeyMetadata retired = manager.current().require(oldKid).metadata();
        assertThat(retired.destroyAfter()).isEqualTo(retired.retires()
                .plus(manager.policy().retireWindow(retired.maxIssuedLifetime())));
        clock.set(retired.destroyAfter().minusSeconds(1));
        manager.tick();
        assertThat(manager.current().require(oldKid).state()).isEqualTo(KeyState.RETIRED);

        clock.set(retired.destroyAfter());
        manager.tick();
        assertThat(manager.current().require(oldKid).state()).isEqualTo(KeyState.DESTROYED);
        assertRejected(given().auth().oauth2(oldToken).when().get("/api/me"));
        assertThat(jwksKids()).doesNotContain(oldKid).contains(newKid);
    }

    @Test
    void retireWindow_coversTheLongestTokenActuallyIssued() {
        Duration longLifetime = manager.policy().tokenLifetime().multipliedBy(12);
        String kid = manager.signingKey(longLifetime).kid();

        manager.rotate(kid, true);

        KeyMetadata retired = manager.current().require(kid).metadata();
        assertThat(retired.destroyAfter())
                .isEqualTo(retired.retires().plus(longLifetime).plus(manager.policy().clockSkew())
                        .plus(manager.policy().jwksMaxAge()));
    }

    /**
     * A verifier that fetched the JWKS just before the PENDING key appeared keeps the set for its {@code max-age}: a
     * rotation on demand makes the key sign only once that has passed, and says when (202); {@code force} is the
     * operator's explicit choice to sign at once.
     */
    @Test
    void rotate_ofAKeyPublishedTooBriefly_answers202WithWhenItWillSign_thenSignsOnSchedule() {
        String admin = Http.login("admin", "admin");
        rotate(admin);
        KeyMetadata pending = manager.current().pending().orElseThrow().metadata();
        String active = manager.current().active().kid();
        Instant signs = pending.created().plus(manager.policy().jwksMaxAge());

        List<Map<String, Object>> keys = given().auth().oauth2(admin).when().post("/admin/keys/rotate").then()
                .statusCode(202).extract().jsonPath().getList("$");

        assertThat(kidInState(keys, "ACTIVE")).isEqualTo(active);
        assertThat(keys).filteredOn(k -> pending.kid().equals(k.get("kid"))).singleElement()
                .satisfies(k -> assertThat(Instant.parse((String) k.get("activates"))).isEqualTo(signs));
        clock.set(signs.minusSeconds(1));
        manager.tick();
        assertThat(manager.current().active().kid()).isEqualTo(active);
        clock.set(signs);
        manager.tick();
        assertThat(manager.current().active().kid()).isEqualTo(pending.kid());

        clock.advance(manager.policy().jwksMaxAge());
        String next = manager.current().pending().orElseThrow().kid();
        List<Map<String, Object>> rotated = given().auth().oauth2(Http.login("admin", "admin")).when()
                .post("/admin/keys/rotate").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(kidInState(rotated, "ACTIVE")).as("published for the max-age: signs at once").isEqualTo(next);
    }

    @Test
    void revoke_activeKey_tellsJwksCachesToRevalidate_forOneMaxAge() {
        String admin = Http.login("admin", "admin");
        String kid = manager.current().active().kid();
        long maxAge = manager.policy().jwksMaxAge().toSeconds();

        given().auth().oauth2(admin).when().post("/admin/keys/" + kid + "/revoke").then().statusCode(200);

        given().when().get("/.well-known/jwks.json").then().statusCode(200).header("Cache-Control", "no-cache");
        clock.advance(manager.policy().jwksMaxAge());
        given().when().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", "public, max-age=" + maxAge);
    }

    @Test
    void revoke_activeKey_rejectsItsTokensAtOnce_andAFreshKeySigns() {
        String admin = Http.login("admin", "admin");
        String token = Http.login("alice", "alice");
        String kid = Http.me(token).getString("kid");

        List<Map<String, Object>> keys = given().auth().oauth2(admin).when().post("/admin/keys/" + kid + "/revoke")
                .then().statusCode(200).extract().jsonPath().getList("$");

        assertThat(stateOf(keys, kid)).isEqualTo("REVOKED");
        assertRejected(given().auth().oauth2(token).when().get("/api/me"));
        assertThat(jwksKids()).doesNotContain(kid);
        String fresh = Http.login("alice", "alice");
        assertThat(Http.me(fresh).getString("kid")).isNotEqualTo(kid).isEqualTo(kidInState(keys, "ACTIVE"));
    }

    @Test
    void revoke_unknownKid_is404() {
        given().auth().oauth2(Http.login("admin", "admin")).when().post("/admin/keys/no-such-kid/revoke")
                .then().statusCode(404).body("error", equalTo("unknown_key"));
    }

    @Test
    void adminEndpoints_refuseUsersWithoutAdminRole() {
        String alice = Http.login("alice", "alice");
        given().auth().oauth2(alice).when().get("/admin/keys").then().statusCode(403);
        given().auth().oauth2(alice).when().post("/admin/keys/rotate").then().statusCode(403);
        given().when().post("/admin/keys/rotate").then().statusCode(401);
    }

    @Test
    void jwks_publishesPendingActiveAndRetiredPublicKeysOnly() {
        List<Map<String, Object>> keys = rotate(Http.login("admin", "admin"));
        List<Map<String, Object>> jwks = given().when().get("/.well-known/jwks.json").then().statusCode(200)
                .extract().jsonPath().getList("keys");

        List<String> verifying = keys.stream().filter(k -> List.of("PENDING", "ACTIVE", "RETIRED")
                .contains(k.get("state"))).map(k -> (String) k.get("kid")).toList();
        assertThat(jwks).extracting(k -> k.get("kid")).containsExactlyInAnyOrderElementsOf(verifying);
        for (Map<String, Object> jwk : jwks) {
            assertThat(jwk).containsEntry("use", "sig").containsEntry("alg", "ES256").containsEntry("kty", "EC")
                    .containsKeys("crv", "x", "y");
            assertThat(jwk).doesNotContainKeys(PRIVATE_JWK_MEMBERS.toArray(String[]::new));
        }
    }

    @Test
    void jwks_isCacheableForHalfThePublishAheadTime_withAnETag() {
        Response response = given().when().get("/.well-known/jwks.json");
        long maxAge = manager.policy().publishAhead().toSeconds() / 2;
        response.then().statusCode(200).header("Cache-Control", "public, max-age=" + maxAge);
        String etag = response.getHeader("ETag");
        assertThat(etag).isNotBlank();

        given().header("If-None-Match", etag).when().get("/.well-known/jwks.json").then().statusCode(304);
        rotate(Http.login("admin", "admin"));
        given().header("If-None-Match", etag).when().get("/.well-known/jwks.json").then().statusCode(200);
    }

    @Test
    void adminKeys_neverShowMaterial() {
        String body = given().auth().oauth2(Http.login("admin", "admin")).when().get("/admin/keys")
                .then().statusCode(200).extract().asString();
        JsonPath json = JsonPath.from(body);
        assertThat(json.getList("$")).isNotEmpty();
        for (Map<String, Object> key : json.<Map<String, Object>> getList("$")) {
            assertThat(key).containsKeys("kid", "algorithm", "state", "created", "activates", "retires")
                    .doesNotContainKeys("material", "d", "k", "privateKey", "secret");
        }
    }

    static void assertRejected(Response response) {
        response.then().statusCode(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        assertThat(response.asString()).isEmpty();
    }

    /** Rotates at once (force: the tests' frozen clock has not let the PENDING key be published for long). */
    private static List<Map<String, Object>> rotate(String adminToken) {
        return given().auth().oauth2(adminToken).queryParam("force", true).when().post("/admin/keys/rotate")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static List<String> jwksKids() {
        return given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath()
                .getList("keys.kid");
    }

    private static String stateOf(List<Map<String, Object>> keys, String kid) {
        return keys.stream().filter(k -> kid.equals(k.get("kid"))).map(k -> (String) k.get("state")).findFirst()
                .orElse(null);
    }

    private static String kidInState(List<Map<String, Object>> keys, String state) {
        return keys.stream().filter(k -> state.equals(k.get("state"))).map(k -> (String) k.get("kid")).findFirst()
                .orElse(null);
    }
}

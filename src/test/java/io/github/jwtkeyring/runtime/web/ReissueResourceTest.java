package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.runtime.jwt.BearerRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Re-issue through real HTTP: a request whose token verified with a RETIRED key is answered with a fresh token on the
 * ACTIVE key in {@value ReissueFilter#HEADER}, unless the token is on the ACTIVE key already or revoked.
 */
@QuarkusTest
@TestProfile(ReissueResourceTest.ReissueEnabled.class)
class ReissueResourceTest {

    /** Re-issue switched on. */
    public static class ReissueEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyring.reissue.enabled", "true");
        }
    }

    @Test
    void tokenOnActiveKey_getsNoReissuedToken() {
        given().auth().oauth2(Http.login("alice", "alice")).when().get("/api/me")
                .then().statusCode(200).header(ReissueFilter.HEADER, nullValue());
    }

    @Test
    void tokenOnRetiredKey_getsAFreshTokenOnTheActiveKey_forTheSameSubjectAndGroups() {
        String oldToken = Http.login("admin", "admin");
        String activeKid = rotate();

        Response response = given().auth().oauth2(oldToken).when().get("/api/me");
        response.then().statusCode(200).header("Cache-Control", "no-store");
        String reissued = response.getHeader(ReissueFilter.HEADER);
        assertThat(reissued).isNotBlank().isNotEqualTo(oldToken);

        Response fresh = given().auth().oauth2(reissued).when().get("/api/me");
        fresh.then().statusCode(200).header(ReissueFilter.HEADER, nullValue());
        JsonPath me = fresh.jsonPath();
        assertThat(me.getString("kid")).isEqualTo(activeKid);
        assertThat(me.getString("sub")).isEqualTo("admin");
        assertThat(me.getList("groups")).containsExactly("admin", "user");
    }

    @Test
    void logoutWithTokenOnRetiredKey_getsNoReissuedToken_andRevokesTokensReissuedBefore() {
        String oldToken = Http.login("alice", "alice");
        rotate();
        String reissued = given().auth().oauth2(oldToken).when().get("/api/me")
                .then().statusCode(200).extract().header(ReissueFilter.HEADER);
        assertThat(reissued).isNotBlank();

        given().auth().oauth2(oldToken).when().post("/auth/logout")
                .then().statusCode(204).header(ReissueFilter.HEADER, nullValue());

        assertRejectedWithoutReissue(oldToken);
        assertRejectedWithoutReissue(reissued);
    }

    @Test
    void afterLogoutAll_tokenOnRetiredKey_isRejectedWithoutReissuedToken() {
        String oldToken = Http.login("bob", "bob");
        String otherOldToken = Http.login("bob", "bob");
        rotate();

        given().auth().oauth2(oldToken).when().post("/auth/logout-all")
                .then().statusCode(204).header(ReissueFilter.HEADER, nullValue());

        assertRejectedWithoutReissue(oldToken);
        assertRejectedWithoutReissue(otherOldToken);
    }

    private static void assertRejectedWithoutReissue(String token) {
        given().auth().oauth2(token).when().get("/api/me")
                .then().statusCode(401).header("WWW-Authenticate", BearerRequests.CHALLENGE)
                .header(ReissueFilter.HEADER, nullValue());
    }

    /** Rotates at once (force: the frozen test clock has not let the PENDING key be published for long). */
    static String rotate() {
        List<Map<String, Object>> keys = given().auth().oauth2(Http.login("admin", "admin"))
                .queryParam("force", true).when().post("/admin/keys/rotate")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return keys.stream().filter(k -> "ACTIVE".equals(k.get("state"))).map(k -> (String) k.get("kid"))
                .findFirst().orElseThrow();
    }
}

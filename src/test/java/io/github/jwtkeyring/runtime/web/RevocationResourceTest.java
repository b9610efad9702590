package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Revocation through real HTTP: logout, logout everywhere, the admin revocation endpoints, and the ledger forgetting
 * entries once their tokens have expired. Whole subjects are revoked only for bob and carol, so that the other test
 * classes sharing this application keep working.
 */
@QuarkusTest
class RevocationResourceTest {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    @Inject
    TestClock clock;

    @Inject
    TokenLedger ledger;

    @Test
    void logout_rejectsThatAccessTokenAndItsRefreshToken_butNotAnotherSessionOfTheSameUser() {
        JsonPath session = Http.loginResponse("alice", "alice");
        JsonPath otherSession = Http.loginResponse("alice", "alice");

        given().auth().oauth2(session.getString("access_token")).when().post("/auth/logout")
                .then().statusCode(204);

        Http.assertRejected(session.getString("access_token"));
        Http.refreshFails(session.getString("refresh_token"), "invalid_grant");
        assertThat(Http.me(otherSession.getString("access_token")).getString("sub")).isEqualTo("alice");
        Http.refresh(otherSession.getString("refresh_token"));
    }

    @Test
    void logoutAll_rejectsEveryEarlierTokenOfTheSubject_andALoginOneSecondLaterWorks() {
        JsonPath first = Http.loginResponse("bob", "bob");
        JsonPath second = Http.loginResponse("bob", "bob");
        JsonPath refreshed = Http.refresh(second.getString("refresh_token"));

        given().auth().oauth2(first.getString("access_token")).when().post("/auth/logout-all")
                .then().statusCode(204);

        for (JsonPath tokens : new JsonPath[] { first, second, refreshed }) {
            Http.assertRejected(tokens.getString("access_token"));
        }
        Http.refreshFails(first.getString("refresh_token"), "invalid_grant");
        Http.refreshFails(refreshed.getString("refresh_token"), "invalid_grant");

        clock.advance(Duration.ofSeconds(1));
        JsonPath later = Http.loginResponse("bob", "bob");
        assertThat(Http.me(later.getString("access_token")).getString("sub")).isEqualTo("bob");
        Http.me(Http.refresh(later.getString("refresh_token")).getString("access_token"));
    }

    @Test
    void adminRevokeSubject_rejectsEveryTokenOfThatSubject() {
        JsonPath carol = Http.loginResponse("carol", "carol");
        String otherCarolToken = Http.login("carol", "carol");
        String alice = Http.login("alice", "alice");

        given().auth().oauth2(Http.login("admin", "admin")).when().post("/admin/subjects/carol/revoke")
                .then().statusCode(204);

        Http.assertRejected(carol.getString("access_token"));
        Http.assertRejected(otherCarolToken);
        Http.refreshFails(carol.getString("refresh_token"), "invalid_grant");
        Http.me(alice);
    }

    @Test
    void adminRevokeToken_rejectsThatTokenOnly() {
        String revoked = Http.login("alice", "alice");
        String other = Http.login("alice", "alice");
        Http.me(revoked); // verified once, so it is in the verified-token cache now

        given().auth().oauth2(Http.login("admin", "admin")).formParam("jti", jti(revoked))
                .when().post("/admin/tokens/revoke")
                .then().statusCode(204);

        Http.assertRejected(revoked);
        Http.me(other);
    }

    @Test
    void adminRevokeToken_withoutJti_isInvalidRequest() {
        String admin = Http.login("admin", "admin");
        assertInvalidRequest(given().auth().oauth2(admin).contentType(ContentType.URLENC)
                .when().post("/admin/tokens/revoke"));
        assertInvalidRequest(given().auth().oauth2(admin).formParam("other", "x")
                .when().post("/admin/tokens/revoke"));
        assertInvalidRequest(given().auth().oauth2(admin).formParam("jti", " ")
                .when().post("/admin/tokens/revoke"));
    }

    @Test
    void adminRevocationEndpoints_refuseUsersWithoutAdminRole_andRevokeNothing() {
        // carol's subject may have been revoked earlier in this second by another test
        clock.advance(Duration.ofSeconds(1));
        String carol = Http.login("carol", "carol");
        String alice = Http.login("alice", "alice");
        String target = Http.login("alice", "alice");

        given().auth().oauth2(alice).when().post("/admin/subjects/carol/revoke").then().statusCode(403);
        given().auth().oauth2(alice).formParam("jti", jti(target)).when().post("/admin/tokens/revoke")
                .then().statusCode(403);
        given().when().post("/admin/subjects/carol/revoke").then().statusCode(401);
        given().formParam("jti", jti(target)).when().post("/admin/tokens/revoke").then().statusCode(401);

        Http.me(carol);
        Http.me(target);
    }

    @Test
    void logout_withoutToken_is401WithPlainBearerChallenge() {
        given().when().post("/auth/logout").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().when().post("/auth/logout-all").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    void revokedToken_staysRejected_whileTheClockMovesTowardsItsExpiry() {
        String revoked = Http.login("alice", "alice");
        String control = Http.login("alice", "alice");
        given().auth().oauth2(Http.login("admin", "admin")).formParam("jti", jti(revoked))
                .when().post("/admin/tokens/revoke").then().statusCode(204);

        clock.set(Instant.ofEpochSecond(claims(revoked).getLong("exp")).minusSeconds(5));

        Http.me(control);
        Http.assertRejected(revoked);
    }

    @Test
    void prune_forgetsRevocationsOnceTheirTokensHaveExpired() {
        String token = Http.login("alice", "alice");
        long exp = Http.me(token).getLong("exp");
        given().auth().oauth2(token).when().post("/auth/logout").then().statusCode(204);
        int before = ledger.size();

        clock.set(Instant.ofEpochSecond(exp).plus(CLOCK_SKEW).plusSeconds(1));
        ledger.prune();

        assertThat(ledger.size()).isLessThan(before);
    }

    /** The {@code jti} claim of an access token. */
    static String jti(String accessToken) {
        return claims(accessToken).getString("jti");
    }

    /** The claims of an access token, read from its payload without verifying it. */
    private static JsonPath claims(String accessToken) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]),
                StandardCharsets.UTF_8));
    }

    private static void assertInvalidRequest(Response response) {
        response.then().statusCode(400).header("Cache-Control", "no-store");
        assertThat(response.jsonPath().getMap("")).containsExactly(Map.entry("error", "invalid_request"));
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.runtime.jwt.BearerRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Header;
import io.restassured.http.Headers;

/**
 * Malformed and repeated input gets a clean 4xx, never a 500, never an ERROR line, and never a credential in the log;
 * the bearer header and conditional JWKS requests are read as their RFCs write them.
 */
@QuarkusTest
class HostileInputResourceTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheLog() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void malformedFormBodies_onRefreshAndRevoke_are400InvalidRequest_andNeverLogTheToken() {
        String refresh = Http.loginResponse("alice", "alice").getString("refresh_token");
        String admin = Http.login("admin", "admin");
        List<String> bodies = List.of("refresh_token=%zz", "%", "refresh_token=%u0041", "refresh_token=" + refresh + "%",
                "refresh_token=" + refresh + "&refresh_token=" + refresh, "refresh_token=%C3%28",
                "grant_type=refresh_token&grant_type=refresh_token&refresh_token=" + refresh);
        for (String body : bodies) {
            given().contentType(ContentType.URLENC).body(body).when().post("/auth/refresh").then().statusCode(400)
                    .header("Cache-Control", "no-store").body("error", equalTo("invalid_request"));
            given().auth().oauth2(admin).contentType(ContentType.URLENC).body(body.replace("refresh_token", "jti"))
                    .when().post("/admin/tokens/revoke").then().statusCode(400)
                    .body("error", equalTo("invalid_request"));
        }

        assertThat(logged).noneMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
        assertThat(logged).noneMatch(record -> text(record).contains(refresh));
        assertThat(Http.refresh(refresh).getString("access_token")).isNotBlank();
    }

    @Test
    void severalAuthorizationHeaders_withABearerToken_are400InvalidRequest() {
        String token = Http.login("alice", "alice");
        for (Headers headers : List.of(
                new Headers(new Header("Authorization", "Bearer " + token), new Header("Authorization", "Bearer x")),
                new Headers(new Header("Authorization", "Basic YWxpY2U6YWxpY2U="),
                        new Header("Authorization", "Bearer " + token)))) {
            given().headers(headers).when().get("/api/me").then().statusCode(400)
                    .header("WWW-Authenticate", BearerRequests.INVALID_REQUEST).body("error", equalTo("invalid_request"));
        }
    }

    @Test
    void bearerWithSeveralSpacesOrInAnyCase_isAccepted_asRfc6750Allows() {
        String token = Http.login("alice", "alice");
        for (String header : List.of("Bearer  " + token, "Bearer    " + token, "bearer " + token, "BEARER  " + token)) {
            given().header("Authorization", header).when().get("/api/me").then().statusCode(200)
                    .body("sub", equalTo("alice"));
        }
    }

    @Test
    void conditionalJwksRequests_followRfc9110_weakComparisonStarAndLists() {
        String etag = given().when().get("/.well-known/jwks.json").then().statusCode(200).extract().header("ETag");
        for (String condition : List.of(etag, "W/" + etag, "*", "\"other\", " + etag, "\"a\",W/" + etag)) {
            given().header("If-None-Match", condition).when().get("/.well-known/jwks.json").then().statusCode(304)
                    .header("ETag", etag);
        }
        given().header("If-None-Match", "\"other\"").when().get("/.well-known/jwks.json").then().statusCode(200);
        given().header("If-None-Match", "\"a\"").header("If-None-Match", etag).when().get("/.well-known/jwks.json")
                .then().statusCode(304);
        given().when().head("/.well-known/jwks.json").then().statusCode(200).header("ETag", etag);
    }

    @Test
    void anUnknownKidOf3000Characters_isNotEchoedInFull() {
        String admin = Http.login("admin", "admin");
        String kid = "k".repeat(3000);

        given().auth().oauth2(admin).when().post("/admin/keys/" + kid + "/revoke").then().statusCode(404)
                .body("error_description.length()", lessThan(200));
    }

    /** Every endpoint of the module, with input a client should never send: a 4xx (or a harmless 2xx), never a 5xx. */
    @Test
    void malformedInputOnEveryEndpoint_getsA4xxNeverA5xx_andNoErrorIsLogged() {
        String admin = Http.login("admin", "admin");
        String huge = "x".repeat(5000);
        Base64.Encoder b64 = Base64.getEncoder();
        for (String authorization : List.of("Basic !!!", "Basic", "Basic " + b64.encodeToString("nocolon".getBytes()),
                "Basic " + b64.encodeToString(":".getBytes()), "Basic " + b64.encodeToString((huge + ":x").getBytes()),
                "Basic " + b64.encodeToString(new byte[] { (byte) 0xff, (byte) 0xfe, ':', 'x' }), "Digest abc")) {
            assertNo5xx(given().header("Authorization", authorization).when().post("/auth/login"));
        }
        assertNo5xx(given().contentType(ContentType.TEXT).body("refresh_token=x").when().post("/auth/refresh"));
        assertNo5xx(given().contentType(ContentType.URLENC).body(huge + "&" + huge).when().post("/auth/refresh"));
        assertNo5xx(given().contentType(ContentType.URLENC).body("refresh_token=" + huge).when().post("/auth/refresh"));
        for (String bearer : List.of("Bearer ", "Bearer a.b.c", "Bearer " + huge, "Bearer ...", "Bearer e30.e30.e30",
                "Bearer éé")) {
            assertNo5xx(given().header("Authorization", bearer).when().post("/auth/logout"));
            assertNo5xx(given().header("Authorization", bearer).when().get("/api/me"));
        }
        assertNo5xx(given().auth().oauth2(admin).queryParam("kid", huge).when().post("/admin/keys/rotate"));
        assertNo5xx(given().auth().oauth2(admin).queryParam("force", "maybe").when().post("/admin/keys/rotate"));
        for (String kid : List.of("%00", "%C3%28", "..%2F..%2Fetc", "東京", huge)) {
            assertNo5xx(given().auth().oauth2(admin).urlEncodingEnabled(false).when()
                    .post("/admin/keys/" + kid + "/revoke"));
        }
        assertNo5xx(given().auth().oauth2(admin).urlEncodingEnabled(false).when()
                .post("/admin/subjects/%C3%28/revoke"));
        assertNo5xx(given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}").when()
                .post("/admin/tokens/revoke"));
        for (String condition : List.of("\"unterminated", ",,,", "W/", "*, \"x\"", huge)) {
            assertNo5xx(given().header("If-None-Match", condition).when().get("/.well-known/jwks.json"));
        }
        assertThat(logged).noneMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
    }

    private static void assertNo5xx(io.restassured.response.Response response) {
        assertThat(response.statusCode()).as(response.asString()).isLessThan(500);
    }

    private static String text(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                message += " " + parameter;
            }
        }
        return record.getThrown() == null ? message : message + " " + record.getThrown();
    }
}

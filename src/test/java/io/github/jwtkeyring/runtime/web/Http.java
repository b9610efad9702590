package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;

import io.github.jwtkeyring.runtime.jwt.BearerRequests;
import io.restassured.path.json.JsonPath;

/**
 * Small helpers for talking to the running application through real HTTP.
 */
final class Http {

    private Http() {
    }

    /** Logs in with HTTP Basic and returns the access token. */
    static String login(String user, String password) {
        return given().auth().preemptive().basic(user, password)
                .when().post("/auth/login")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** Logs in with HTTP Basic and returns the whole token response. */
    static JsonPath loginResponse(String user, String password) {
        return given().auth().preemptive().basic(user, password)
                .when().post("/auth/login")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    /** {@code POST /auth/refresh}, expecting a token response. */
    static JsonPath refresh(String refreshToken) {
        return given().formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh")
                .then().statusCode(200).header("Cache-Control", "no-store")
                .extract().jsonPath();
    }

    /** {@code POST /auth/refresh}, expecting the RFC 6749 §5.2 error {@code error} and nothing else. */
    static void refreshFails(String refreshToken, String error) {
        JsonPath body = given().formParam("refresh_token", refreshToken)
                .when().post("/auth/refresh")
                .then().statusCode(400).header("Cache-Control", "no-store")
                .extract().jsonPath();
        org.assertj.core.api.Assertions.assertThat(body.getMap("")).containsOnlyKeys("error");
        org.assertj.core.api.Assertions.assertThat(body.getString("error")).isEqualTo(error);
    }

    /** {@code GET /api/me} with {@code token}, expecting the one 401 every rejected token gets. */
    static void assertRejected(String token) {
        given().auth().oauth2(token).when().get("/api/me")
                .then().statusCode(401).header("WWW-Authenticate", BearerRequests.CHALLENGE);
    }

    /** {@code GET /api/me} with a bearer token, expecting 200. */
    static JsonPath me(String token) {
        return given().auth().oauth2(token).when().get("/api/me").then().statusCode(200).extract().jsonPath();
    }
}

package io.github.jwtkeyring.web;

import static io.restassured.RestAssured.given;

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

    /** {@code GET /api/me} with a bearer token, expecting 200. */
    static JsonPath me(String token) {
        return given().auth().oauth2(token).when().get("/api/me").then().statusCode(200).extract().jsonPath();
    }
}

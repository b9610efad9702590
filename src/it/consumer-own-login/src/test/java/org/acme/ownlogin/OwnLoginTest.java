package org.acme.ownlogin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * An application that brings its own login: with keyring.endpoints.token.enabled=false and
 * keyring.endpoints.admin.enabled=false at build time the module's /auth and /admin endpoints do not exist, the JWKS
 * does, and the application's login and refresh on TokenIssuer and RefreshTokens work, reuse detection included. The
 * application added quarkus-smallrye-openapi itself: its document has the module's endpoints that exist.
 */
@QuarkusTest
class OwnLoginTest {

    @Test
    void theModulesTokenAndAdministrationEndpoints_areNotBuiltIn() {
        given().auth().preemptive().basic("alice", "alice").when().post("/auth/login").then().statusCode(404);
        given().formParam("refresh_token", "x").when().post("/auth/refresh").then().statusCode(404);
        String token = login("erin").getString("access");
        for (String path : new String[] { "/auth/logout", "/admin/keys/rotate", "/admin/subjects/erin/revoke" }) {
            given().auth().oauth2(token).when().post(path).then().statusCode(404);
        }
        given().auth().oauth2(token).when().get("/admin/keys").then().statusCode(404);
        given().when().get("/.well-known/jwks.json").then().statusCode(200);
    }

    @Test
    void ownLoginAndRefresh_withTheModulesRefreshTokens_openTheApplicationsEndpoint() {
        JsonPath first = login("frank");
        given().auth().oauth2(first.getString("access")).when().get("/account/notes").then().statusCode(200)
                .body(equalTo("notes of frank"));

        JsonPath second = given().formParam("refresh_token", first.getString("refresh")).when()
                .post("/account/refresh").then().statusCode(200).extract().jsonPath();
        given().auth().oauth2(second.getString("access")).when().get("/account/notes").then().statusCode(200);

        // the superseded refresh token comes back: theft, the family is revoked with its access tokens
        given().formParam("refresh_token", first.getString("refresh")).when().post("/account/refresh").then()
                .statusCode(400).body("error", equalTo("invalid_grant"));
        given().auth().oauth2(second.getString("access")).when().get("/account/notes").then().statusCode(401);
    }

    @Test
    void itsOwnOpenApiDocument_hasTheModulesEndpointsThatExist_andNotTheSwitchedOffOnes() {
        Map<String, Object> paths = given().queryParam("format", "json").when().get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");

        assertThat(paths).containsKeys("/.well-known/jwks.json", "/account/login", "/account/notes");
        assertThat(paths).doesNotContainKeys("/auth/login", "/auth/refresh", "/admin/keys");
    }

    private static JsonPath login(String user) {
        return given().formParam("user", user).when().post("/account/login").then().statusCode(200).extract()
                .jsonPath();
    }
}

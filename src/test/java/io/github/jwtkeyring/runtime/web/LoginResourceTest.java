package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class LoginResourceTest {

    @Test
    void login_withValidCredentials_returnsOAuthTokenResponse() {
        given().auth().preemptive().basic("alice", "alice")
                .when().post("/auth/login")
                .then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("access_token", notNullValue());
    }

    @Test
    void login_withWrongPassword_is401WithBasicChallenge() {
        given().auth().preemptive().basic("alice", "wrong")
                .when().post("/auth/login")
                .then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Basic"));
    }

    @Test
    void login_withoutCredentials_is401() {
        given().when().post("/auth/login").then().statusCode(401);
    }

    @Test
    void me_withToken_returnsSubjectGroupsKidAndExp() {
        String token = Http.login("alice", "alice");
        JsonPath me = Http.me(token);
        assertThat(me.getString("sub")).isEqualTo("alice");
        assertThat(me.getList("groups")).containsExactly("user");
        assertThat(me.getString("kid")).isNotBlank();
        assertThat(me.getLong("exp")).isGreaterThan(0);
    }

    @Test
    void me_withoutToken_is401WithPlainBearerChallenge() {
        given().when().get("/api/me").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    void publicEndpoint_needsNoToken() {
        given().when().get("/api/public").then().statusCode(200).body("message", notNullValue());
    }

    @Test
    void admin_forUser_is403_andForAdmin_is200() {
        given().auth().oauth2(Http.login("alice", "alice")).when().get("/api/admin").then().statusCode(403);
        given().auth().oauth2(Http.login("admin", "admin")).when().get("/api/admin").then().statusCode(200)
                .body("message", notNullValue());
    }

    @Test
    void adminKeys_listsMetadataOnly() {
        given().auth().oauth2(Http.login("admin", "admin")).when().get("/admin/keys").then().statusCode(200)
                .body("size()", greaterThan(0))
                .body("find { it.state == 'ACTIVE' }.algorithm", equalTo("ES256"));
    }
}

package org.acme.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.runtime.web.JwksResource;
import io.quarkus.test.common.http.TestHTTPEndpoint;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An application that added JWT Keyring with one dependency and a few keyring.* keys: its own endpoint accepts the
 * ring's tokens, the module's endpoints are there and its audit events reach the application's observers, and nothing
 * of the module's demo service is (nor its optional OpenAPI document and Swagger UI, nor Micrometer).
 */
@QuarkusTest
class ConsumerAppTest {

    static final String CHALLENGE = "Bearer error=\"invalid_token\"";

    @Test
    void tokenFromTheApplicationsOwnSignIn_opensItsRolesAllowedEndpoint() {
        String token = signIn("carol", "analyst");

        given().auth().oauth2(token).when().get("/reports").then().statusCode(200)
                .body(equalTo("reports for carol of acme"));
        given().auth().oauth2(signIn("dave", "guest")).when().get("/reports").then().statusCode(403);
    }

    @Test
    void forgedTokens_getTheUniform401() {
        String token = signIn("carol", "analyst");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + flipFirstCharacter(parts[2]);
        String unsigned = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".";

        for (String forged : new String[] { tampered, unsigned, "not-a-token" }) {
            given().auth().oauth2(forged).when().get("/reports").then().statusCode(401)
                    .header("WWW-Authenticate", CHALLENGE);
        }
        given().when().get("/reports").then().statusCode(401);
    }

    @Test
    void rotation_keepsALiveTokenWorking() {
        String live = signIn("carol", "analyst");
        String admin = signIn("root", "admin");
        String before = activeKid(admin);

        // the PENDING key was published a moment ago: the rotation is scheduled, and a forced one signs at once
        given().auth().oauth2(admin).when().post("/admin/keys/rotate").then().statusCode(202);
        assertThat(activeKid(admin)).isEqualTo(before);
        given().auth().oauth2(admin).queryParam("force", true).when().post("/admin/keys/rotate").then()
                .statusCode(200);

        assertThat(activeKid(admin)).isNotEqualTo(before);
        given().auth().oauth2(live).when().get("/reports").then().statusCode(200);
        given().when().get("/.well-known/jwks.json").then().statusCode(200);
        assertThat(given().when().get("/key-changes").then().statusCode(200).extract().asString())
                .as("the module's audit events, as the application's own observer kept them")
                .contains(before + " ACTIVE RETIRED by root");
    }

    @Test
    void demoEndpointsOfTheModulesService_areAbsent() {
        for (String path : new String[] { "/api/me", "/api/public", "/api/admin" }) {
            given().auth().oauth2(signIn("carol", "analyst")).when().get(path).then().statusCode(404);
        }
    }

    /** Names a module resource, as an application's own tests may: its compilation must stay free of warnings. */
    @Test
    @TestHTTPEndpoint(JwksResource.class)
    void theJwks_isServedAtItsResourcesPath() {
        given().when().get().then().statusCode(200);
    }

    @Test
    void noOpenApiDocumentNorSwaggerUi_sinceTheApplicationDidNotAddTheExtension() {
        given().when().get("/q/openapi").then().statusCode(404);
        given().when().get("/q/swagger-ui/").then().statusCode(404);
    }

    @Test
    void noDemoUserCanLogIn_andLoginWithoutAnIdentityProviderIs401_not500() {
        for (String user : new String[] { "alice", "admin", "bob" }) {
            given().auth().preemptive().basic(user, user).when().post("/auth/login").then().statusCode(401);
        }
    }

    @Test
    void theEmbeddedStore_bringsNoDatabaseNoFlywayAndNoUsersRealm() {
        for (String absent : new String[] { "io.agroal.api.AgroalDataSource", "org.postgresql.Driver",
                "org.flywaydb.core.Flyway", "org.wildfly.security.auth.server.SecurityDomain" }) {
            assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
        }
    }

    static String signIn(String user, String roles) {
        return given().formParam("user", user).formParam("roles", roles).when().post("/session").then()
                .statusCode(200).extract().asString();
    }

    static String activeKid(String admin) {
        return given().auth().oauth2(admin).when().get("/admin/keys").then().statusCode(200).extract().jsonPath()
                .getString("find { it.state == 'ACTIVE' }.kid");
    }

    /** The first character carries six bits of the signature (the last may carry unused bits only). */
    private static String flipFirstCharacter(String signature) {
        return (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

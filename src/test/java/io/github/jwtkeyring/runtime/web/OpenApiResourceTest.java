package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The service's OpenAPI document ({@code GET /q/openapi}) describes every endpoint of the module: its security
 * requirement, the error answers it can give (401 with its challenge, 403, 400, 429 and 503 with Retry-After) and the
 * JSON shapes of its bodies.
 */
@QuarkusTest
class OpenApiResourceTest {

    private static final String BEARER = "keyring-bearer";
    private static final String BASIC = "keyring-basic";

    private JsonPath document;

    @BeforeEach
    void fetch() {
        document = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void document_describesEveryEndpointOfTheModule_andTheDemos() {
        Map<String, Object> paths = document.getMap("paths");

        assertThat(paths).containsKeys("/auth/login", "/auth/refresh", "/auth/logout", "/auth/logout-all",
                "/.well-known/jwks.json", "/admin/keys", "/admin/keys/rotate", "/admin/keys/{kid}/revoke",
                "/admin/subjects/{sub}/revoke", "/admin/tokens/revoke", "/api/me", "/api/admin", "/api/public");
    }

    @Test
    void securitySchemes_areHttpBearerJwt_andHttpBasic() {
        assertThat(document.getMap("components.securitySchemes." + BEARER)).containsEntry("type", "http")
                .containsEntry("scheme", "bearer").containsEntry("bearerFormat", "JWT");
        assertThat(document.getMap("components.securitySchemes." + BASIC)).containsEntry("type", "http")
                .containsEntry("scheme", "basic");
    }

    @Test
    void login_takesBasicCredentials_andDocuments401_429_503() {
        assertThat(security("/auth/login", "post")).containsExactly(BASIC);
        assertThat(responses("/auth/login", "post")).containsKeys("200", "401", "429", "503");
        assertThat(header("/auth/login", "post", "401", "WWW-Authenticate")).contains("Basic realm=\"jwt-keyring\"");
        assertThat(document.getMap(response("/auth/login", "post", "429") + ".headers")).containsKey("Retry-After");
        assertThat(document.getMap(response("/auth/login", "post", "503") + ".headers")).containsKey("Retry-After");
        assertThat(schemaRef("/auth/login", "post", "200")).isEqualTo("#/components/schemas/TokenResponse");
        assertThat(schemaRef("/auth/login", "post", "429")).isEqualTo("#/components/schemas/KeyringError");
    }

    @Test
    void refresh_needsNoAuthorization_andDocumentsTheRfc6749ErrorAnd503() {
        assertThat(document.getList(operation("/auth/refresh", "post") + ".security")).isNull();
        assertThat(responses("/auth/refresh", "post")).containsKeys("200", "400", "503");
        assertThat(schemaRef("/auth/refresh", "post", "400")).isEqualTo("#/components/schemas/KeyringError");
        assertThat(document.getList(operation("/auth/refresh", "post")
                + ".requestBody.content.'application/x-www-form-urlencoded'.schema.required"))
                .containsExactly("refresh_token");
    }

    @Test
    void bearerEndpoints_requireTheBearerScheme_andDocumentTheInvalidTokenChallenge() {
        String[][] operations = { { "/auth/logout", "post" }, { "/auth/logout-all", "post" },
                { "/admin/keys", "get" }, { "/admin/keys/rotate", "post" }, { "/admin/keys/{kid}/revoke", "post" },
                { "/admin/subjects/{sub}/revoke", "post" }, { "/admin/tokens/revoke", "post" },
                { "/admin/keys/timeline", "get" }, { "/admin/keys/timeline.svg", "get" } };
        for (String[] op : operations) {
            assertThat(security(op[0], op[1])).as(op[0]).containsExactly(BEARER);
            assertThat(header(op[0], op[1], "401", "WWW-Authenticate")).as(op[0])
                    .contains("Bearer error=\"invalid_token\"");
        }
    }

    @Test
    void adminEndpoints_document403_andTheirChangesDocument503WithRetryAfter() {
        for (String path : new String[] { "/admin/keys", "/admin/keys/rotate", "/admin/keys/{kid}/revoke",
                "/admin/subjects/{sub}/revoke", "/admin/tokens/revoke" }) {
            String method = path.equals("/admin/keys") ? "get" : "post";
            assertThat(responses(path, method)).as(path).containsKey("403");
            if (method.equals("post")) {
                assertThat(document.getMap(response(path, method, "503") + ".headers")).as(path)
                        .containsKey("Retry-After");
            }
        }
        assertThat(responses("/admin/keys/rotate", "post")).containsKeys("200", "202", "404", "409");
        assertThat(responses("/admin/tokens/revoke", "post")).containsKey("400");
    }

    @Test
    void jsonShapes_areDescribed() {
        assertThat(document.getMap("components.schemas.TokenResponse.properties")).containsOnlyKeys("access_token",
                "token_type", "expires_in", "refresh_token", "refresh_expires_in");
        assertThat(document.getMap("components.schemas.KeyView.properties")).containsKeys("kid", "algorithm",
                "state", "created", "activates", "retires", "destroy_after", "revoked");
        assertThat(document.getMap("components.schemas.KeyringError.properties")).containsOnlyKeys("error",
                "error_description");
        assertThat(document.getList("components.schemas.KeyringError.required")).containsExactly("error");
        assertThat(document.getString(response("/admin/keys", "get", "200")
                + ".content.'application/json'.schema.items.$ref")).isEqualTo("#/components/schemas/KeyView");
        assertThat(document.getList(response("/.well-known/jwks.json", "get", "200")
                + ".content.'application/json'.schema.required")).containsExactly("keys");
    }

    @Test
    void jwks_isPublic_withItsCachingHeaders() {
        assertThat(document.getList(operation("/.well-known/jwks.json", "get") + ".security")).isNull();
        assertThat(document.getMap(response("/.well-known/jwks.json", "get", "200") + ".headers"))
                .containsKeys("ETag", "Cache-Control");
        assertThat(responses("/.well-known/jwks.json", "get")).containsKey("304");
    }

    /** Quarkus's default: Swagger UI in dev and test mode; PackagedApplicationIT checks that production has none. */
    @Test
    void swaggerUi_isServedInTestMode() {
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static String operation(String path, String method) {
        return "paths.'" + path + "'." + method;
    }

    private static String response(String path, String method, String status) {
        return operation(path, method) + ".responses.'" + status + "'";
    }

    private Map<String, Object> responses(String path, String method) {
        return document.getMap(operation(path, method) + ".responses");
    }

    /** The names of the security schemes an operation requires (one requirement, as every operation here has). */
    private List<String> security(String path, String method) {
        List<Map<String, Object>> requirements = document.getList(operation(path, method) + ".security");
        assertThat(requirements).as(path).hasSize(1);
        return List.copyOf(requirements.get(0).keySet());
    }

    private String header(String path, String method, String status, String name) {
        return document.getString(response(path, method, status) + ".headers.'" + name + "'.description");
    }

    private String schemaRef(String path, String method, String status) {
        return document.getString(response(path, method, status) + ".content.'application/json'.schema.$ref");
    }
}

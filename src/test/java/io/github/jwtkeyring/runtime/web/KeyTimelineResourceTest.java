package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.KeyTimeline;
import io.github.jwtkeyring.runtime.jwt.BearerRequests;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The key timeline through real HTTP: the SVG and the page for an administrator's bearer token, the sign-in page in
 * the 401 of a request without credentials, 403 for other users, the uniform 401 for a rejected token, and the
 * headers that keep the page to its own script and style.
 */
@QuarkusTest
class KeyTimelineResourceTest {

    private static final String PAGE = "/admin/keys/timeline";
    private static final String PICTURE = "/admin/keys/timeline.svg";
    private static final Pattern STATE = Pattern.compile("<g class=\"key\" data-kid=\"([^\"]*)\" data-state=\"(\\w+)\"");

    @Inject
    KeyRingManager manager;

    @Test
    void adminBearer_getsTheSvg_withOneBarPerKeyInItsState() {
        String admin = Http.login("admin", "admin");
        given().auth().oauth2(admin).queryParam("force", true).when().post("/admin/keys/rotate").then()
                .statusCode(200);

        Response response = given().auth().oauth2(admin).when().get(PICTURE);

        response.then().statusCode(200).contentType(startsWith("image/svg+xml"));
        assertGuarded(response);
        KeyRing ring = manager.current();
        List<ManagedKey> shown = ring.keys().subList(Math.max(0, ring.keys().size() - KeyTimeline.MAX_KEYS),
                ring.keys().size());
        assertThat(bars(response.asString())).containsExactlyElementsOf(
                shown.stream().map(k -> k.kid() + "=" + k.state()).toList());
        assertThat(response.asString()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("class=\"now\"", "class=\"next-rotation\"");
    }

    @Test
    void adminBearer_getsThePage_withTheSvgInline_andNoScript() {
        Response response = given().auth().oauth2(Http.login("admin", "admin")).when().get(PAGE);

        response.then().statusCode(200).contentType(startsWith("text/html"));
        assertGuarded(response);
        String page = response.asString();
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg xmlns=").doesNotContain("<script", "<form");
        assertThat(bars(page)).contains(manager.current().active().kid() + "=" + KeyState.ACTIVE);
    }

    @Test
    void noCredentials_page_is401_withTheBearerChallenge_andTheSignInPage() {
        Response response = given().when().get(PAGE);

        response.then().statusCode(401).header("WWW-Authenticate", "Bearer").contentType(startsWith("text/html"));
        assertGuarded(response);
        String page = response.asString();
        assertThat(page).contains("<form id=\"sign-in\"", "type=\"password\"", "data-login=\"/auth/login\"",
                "data-logout=\"/auth/logout\"", "data-picture=\"/admin/keys/timeline.svg\"", "credentials: 'omit'")
                .doesNotContain("<svg", "localStorage", "sessionStorage", "document.cookie")
                // inputs without a name: even without the script the form has nothing to submit
                .doesNotContainPattern("<input[^>]* name=");
    }

    @Test
    void signInPage_scriptAndStyle_areTheOnesThePolicyAllows() throws Exception {
        Response response = given().when().get(PAGE);

        String policy = response.header("Content-Security-Policy");
        assertThat(policy).contains("'" + sha256(only(response.asString(), "<script>(.*?)</script>")) + "'")
                .contains("'" + sha256(only(response.asString(), "<style>(.*?)</style>")) + "'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
    }

    @Test
    void noCredentials_svg_isThePlain401() {
        given().when().get(PICTURE).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body(emptyString());
    }

    @Test
    void userWithoutAdminRole_gets403_onBoth() {
        String alice = Http.login("alice", "alice");

        given().auth().oauth2(alice).when().get(PAGE).then().statusCode(403).body(emptyString());
        given().auth().oauth2(alice).when().get(PICTURE).then().statusCode(403).body(emptyString());
    }

    @Test
    void rejectedToken_getsTheUniform401_withoutTheSignInPage() {
        String forged = Http.login("admin", "admin") + "x";

        given().auth().oauth2(forged).when().get(PAGE).then().statusCode(401)
                .header("WWW-Authenticate", BearerRequests.CHALLENGE).body(emptyString());
        given().auth().oauth2(forged).when().get(PICTURE).then().statusCode(401)
                .header("WWW-Authenticate", BearerRequests.CHALLENGE).body(emptyString());
    }

    private static void assertGuarded(Response response) {
        assertThat(response.header("Content-Security-Policy")).startsWith("default-src 'none';")
                .contains("frame-ancestors 'none'", "form-action 'none'", "connect-src 'self'");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(response.header("Set-Cookie")).isNull();
    }

    private static List<String> bars(String document) {
        Matcher m = STATE.matcher(document);
        return m.results().map(r -> r.group(1) + "=" + r.group(2)).toList();
    }

    private static String only(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("%s in the page", regex).isTrue();
        String found = m.group(1);
        assertThat(m.find()).as("a second %s in the page", regex).isFalse();
        return found;
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return "sha256-" + Base64.getEncoder().encodeToString(digest);
    }
}

package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.rotation.KeyTimeline;
import io.github.jwtkeyring.testing.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The key timeline in a real browser (headless Chromium): with an administrator's bearer token sent by the browser,
 * and through the page's own sign-in form, first as a user who is no administrator, then as one, then signing out.
 * The picture shows one bar per key in its state; the page runs without a console error, an exception or a
 * Content-Security-Policy violation; the token is never stored, put in the URL or the DOM. Leaves
 * {@code target/key-timeline.png} and {@code target/key-timeline.svg}.
 */
@QuarkusTest
class KeyTimelineBrowserResourceTest {

    /** Generous: a cold Chromium on a busy machine; every wait polls and ends as soon as its condition holds. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String BARS_BY_STATE = "JSON.stringify(Array.from(document.querySelectorAll("
            + "'#timeline svg g.key')).reduce((n, g) => { n[g.dataset.state] = (n[g.dataset.state] || 0) + 1; "
            + "return n; }, {}))";
    private static final String NOTHING_STORED = "localStorage.length === 0 && sessionStorage.length === 0 "
            + "&& document.cookie === '' && location.search === '' && location.hash === '' "
            + "&& !document.documentElement.outerHTML.includes('eyJ')";

    @TestHTTPResource("/admin/keys/timeline")
    URL page;

    @Inject
    KeyRingManager manager;

    @Test
    void timeline_inChromium_withBearerToken_andThroughTheSignInForm() throws Exception {
        String admin = Http.login("admin", "admin");
        ringWithEveryLiveState(admin);
        Map<String, Integer> expected = barsByState(manager.current());

        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.extraHeaders(Map.of("Authorization", "Bearer " + admin));
            browser.open(page.toString(), DEADLINE);
            assertThat(bars(browser)).isEqualTo(expected);
            browser.extraHeaders(Map.of());

            browser.open(page.toString(), DEADLINE);
            assertThat(browser.evaluate("document.querySelector('#timeline svg') === null").asBoolean()).isTrue();
            signIn(browser, "alice", "alice");
            browser.waitUntil("document.getElementById('status').textContent.includes('not an administrator')",
                    DEADLINE);
            signIn(browser, "admin", "admin");
            browser.waitUntil("document.querySelector('#timeline svg g.key') !== null", DEADLINE);

            assertThat(bars(browser)).isEqualTo(expected);
            assertThat(browser.evaluate(NOTHING_STORED).asBoolean()).as("nothing stored, nothing in the URL")
                    .isTrue();
            assertThat(browser.evaluate("document.getElementById('password').value").asText()).isEmpty();
            Files.write(Path.of("target/key-timeline.png"), browser.screenshot());

            browser.evaluate("document.getElementById('sign-out').click(); true");
            browser.waitUntil("!document.getElementById('sign-in').hidden "
                    + "&& document.querySelector('#timeline svg') === null", DEADLINE);
            // the page's own 401 and alice's 403 are answers the test asked for; nothing else may go wrong
            assertThat(browser.problems()).as("console errors, exceptions, CSP violations, failed requests")
                    .containsExactlyInAnyOrder(failedRequest(401, page.toString()),
                            failedRequest(403, page + ".svg"));
        }
        Files.writeString(Path.of("target/key-timeline.svg"),
                given().auth().oauth2(admin).when().get("/admin/keys/timeline.svg").then().statusCode(200)
                        .extract().asString(),
                StandardCharsets.UTF_8);
    }

    /** A forced rotation (the old key RETIRED) and a revoked PENDING key (a new one is published in its place). */
    private void ringWithEveryLiveState(String admin) {
        given().auth().oauth2(admin).queryParam("force", true).when().post("/admin/keys/rotate").then()
                .statusCode(200);
        String pending = manager.current().pending().orElseThrow().kid();
        given().auth().oauth2(admin).when().post("/admin/keys/" + pending + "/revoke").then().statusCode(200);
        assertThat(barsByState(manager.current())).containsKeys("ACTIVE", "PENDING", "RETIRED", "REVOKED");
    }

    private static void signIn(HeadlessChromium browser, String user, String password) {
        browser.evaluate("document.getElementById('user').value = " + quote(user) + "; "
                + "document.getElementById('password').value = " + quote(password) + "; "
                + "document.getElementById('sign-in').requestSubmit(); true");
    }

    private static String failedRequest(int status, String url) {
        String reason = status == 401 ? "Unauthorized" : "Forbidden";
        return "log (network): Failed to load resource: the server responded with a status of " + status + " ("
                + reason + ") " + url;
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Map<String, Integer> bars(HeadlessChromium browser) throws Exception {
        JsonNode counts = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(browser.evaluate(BARS_BY_STATE).asText());
        Map<String, Integer> found = new TreeMap<>();
        counts.fields().forEachRemaining(e -> found.put(e.getKey(), e.getValue().asInt()));
        return found;
    }

    private static Map<String, Integer> barsByState(KeyRing ring) {
        List<ManagedKey> keys = ring.keys();
        Map<String, Integer> counts = new TreeMap<>();
        for (ManagedKey key : keys.subList(Math.max(0, keys.size() - KeyTimeline.MAX_KEYS), keys.size())) {
            counts.merge(key.state().name(), 1, Integer::sum);
        }
        return counts;
    }
}

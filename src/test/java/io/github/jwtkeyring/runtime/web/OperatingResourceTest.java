package io.github.jwtkeyring.runtime.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.rotation.KeyRingManager;
import io.github.jwtkeyring.runtime.audit.AuditEvent;
import io.github.jwtkeyring.runtime.audit.AuditTrail;
import io.github.jwtkeyring.testing.AuditCapture;
import io.github.jwtkeyring.testing.AuditEvents;
import io.github.jwtkeyring.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * What an operator sees of a scripted lifecycle (rotations, a revoked key, a reused refresh token, a logout-all, a
 * throttled login): the audit trail's JSON lines and CDI events say who did what, the Prometheus metrics count it, and
 * neither holds a token, a password or key material. Readiness warns while a key signs that was published too briefly.
 */
@QuarkusTest
class OperatingResourceTest {

    private static final String WRONG_PASSWORD = "wrong-Pa55word-7f3a9c";

    @Inject
    TestClock clock;

    @Inject
    KeyRingManager manager;

    @Inject
    AuditEvents events;

    @Test
    void scriptedLifecycle_isAudited_counted_andLeaksNoSecret() {
        List<String> secrets = new ArrayList<>();
        Map<String, Double> before = metrics();
        int eventsBefore = events.seen().size();
        List<String> lines;
        try (AuditCapture audit = AuditCapture.of(AuditTrail.CATEGORY)) {
            String admin = Http.login("admin", "admin");
            secrets.add(admin);
            String oldKid = manager.current().active().kid();
            keyMaterialOf(manager.current(), secrets);

            rotate(admin);
            keyMaterialOf(manager.current(), secrets);
            given().auth().oauth2(admin).when().post("/admin/keys/" + oldKid + "/revoke").then().statusCode(200);
            admin = Http.login("admin", "admin"); // the first token was signed with the revoked key
            secrets.add(admin);

            JsonPath erin = Http.loginResponse("erin", "erin");
            String firstRefresh = erin.getString("refresh_token");
            secrets.add(erin.getString("access_token"));
            secrets.add(firstRefresh);
            JsonPath refreshed = Http.refresh(firstRefresh);
            secrets.add(refreshed.getString("access_token"));
            secrets.add(refreshed.getString("refresh_token"));
            Http.refreshFails(firstRefresh, "invalid_grant");

            String session = Http.login("erin", "erin");
            secrets.add(session);
            given().auth().oauth2(session).when().post("/auth/logout").then().statusCode(204);
            String everywhere = Http.login("erin", "erin");
            secrets.add(everywhere);
            given().auth().oauth2(everywhere).when().post("/auth/logout-all").then().statusCode(204);
            given().auth().oauth2(admin).when().post("/admin/subjects/frank/revoke").then().statusCode(204);

            for (int i = 0; i < 10; i++) {
                login("mallory", WRONG_PASSWORD).then().statusCode(401);
            }
            login("mallory", WRONG_PASSWORD).then().statusCode(429);
            secrets.add(WRONG_PASSWORD);
            secrets.add(Base64.getEncoder().encodeToString(("mallory:" + WRONG_PASSWORD).getBytes()));
            lines = audit.lines();
        }

        List<Map<String, Object>> entries = lines.stream().map(OperatingResourceTest::json).toList();
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "key.state")
                .containsEntry("kid", oldKidOf(entries)).containsEntry("from", "ACTIVE").containsEntry("to", "RETIRED")
                .containsEntry("by", "caller").containsEntry("subject", "admin").containsEntry("address", "127.0.0.1"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "key.state")
                .containsEntry("from", "RETIRED").containsEntry("to", "REVOKED").containsEntry("subject", "admin"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "key.state")
                .containsEntry("to", "PENDING").doesNotContainKey("from"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "refresh.reuse")
                .containsEntry("target", "erin").containsKey("session").doesNotContainKey("subject"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "logout")
                .containsEntry("subject", "erin").containsKey("jti").containsKey("session"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "logout.all")
                .containsEntry("subject", "erin"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "subject.revoked")
                .containsEntry("target", "frank").containsEntry("subject", "admin"));
        assertThat(entries).filteredOn(e -> "login.failed".equals(e.get("action"))).hasSize(10)
                .allSatisfy(e -> assertThat(e).containsEntry("user", "mallory").containsEntry("address", "127.0.0.1"));
        assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("action", "login.throttled")
                .containsEntry("user", "mallory").containsKey("retry_after"));
        assertThat(entries).allSatisfy(e -> assertThat(e).containsKeys("time", "action", "by"));

        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).as("an audit line").doesNotContain(secret);
            }
        }

        List<AuditEvent> observed = events.seen().subList(eventsBefore, events.seen().size());
        assertThat(observed).hasSameSizeAs(lines);
        assertThat(observed).extracting(AuditEvent::action).contains(AuditEvent.Action.KEY_STATE,
                AuditEvent.Action.REFRESH_REUSE, AuditEvent.Action.LOGOUT, AuditEvent.Action.LOGOUT_ALL,
                AuditEvent.Action.SUBJECT_REVOKED, AuditEvent.Action.LOGIN_FAILED, AuditEvent.Action.LOGIN_THROTTLED);

        Map<String, Double> after = metrics();
        assertThat(delta(before, after, "keyring_refreshes_total{outcome=\"rotated\"}")).isEqualTo(1);
        assertThat(delta(before, after, "keyring_refreshes_total{outcome=\"reuse_detected\"}")).isEqualTo(1);
        assertThat(delta(before, after, "keyring_revocations_total{kind=\"refresh_reuse\"}")).isEqualTo(1);
        assertThat(delta(before, after, "keyring_revocations_total{kind=\"logout\"}")).isEqualTo(1);
        assertThat(delta(before, after, "keyring_revocations_total{kind=\"logout_all\"}")).isEqualTo(1);
        assertThat(delta(before, after, "keyring_revocations_total{kind=\"subject\"}")).isEqualTo(1);
        assertThat(delta(before, after, "keyring_login_failures_total{reason=\"credentials\"}")).isEqualTo(10);
        assertThat(delta(before, after, "keyring_login_failures_total{reason=\"throttled\"}")).isEqualTo(1);
        String alg = manager.current().active().algorithm().joseName();
        // five logins and two refreshes: a refresh signs before it spends its token, so the reused one signed too
        assertThat(delta(before, after, "keyring_tokens_issued_total{alg=\"" + alg + "\"}")).isEqualTo(7);
        assertThat(delta(before, after, "keyring_verifications_total{outcome=\"accepted\",reason=\"none\"}"))
                .isGreaterThanOrEqualTo(4);
        assertThat(after).containsEntry("keyring_keys{state=\"ACTIVE\"}", 1.0)
                .containsKey("keyring_keys{state=\"REVOKED\"}").containsKey("keyring_revocation_entries")
                .containsKey("keyring_refresh_families").containsKey("keyring_active_key_age_seconds");
        assertThat(after.get("keyring_keys{state=\"REVOKED\"}")).isGreaterThanOrEqualTo(1);
        assertThat(after.get("keyring_next_activation_seconds")).isPositive();
        assertThat(after.keySet()).noneMatch(name -> name.contains("erin") || name.contains("mallory"));
    }

    @Test
    void rejectedTokens_areCountedByReasonClass() {
        Map<String, Double> before = metrics();
        Http.assertRejected("not-a-token");
        String token = Http.login("alice", "alice");
        Http.assertRejected(token.substring(0, token.length() - 4) + "AAAA");
        Http.me(token);
        Http.me(token);

        Map<String, Double> after = metrics();
        assertThat(delta(before, after, "keyring_verifications_total{outcome=\"rejected\",reason=\"malformed\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "keyring_verifications_total{outcome=\"rejected\",reason=\"signature\"}"))
                .isEqualTo(1);
        assertThat(delta(before, after, "keyring_verifications_total{outcome=\"cache_hit\",reason=\"none\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after).containsKey("keyring_verification_miss_seconds_count")
                .containsKey("keyring_signing_seconds_count{alg=\"" + manager.current().active().algorithm()
                        .joseName() + "\"}");
    }

    @Test
    void aKeyThatSignsBeforeItCouldHaveBeenFetched_isAWarning_untilItHasBeenPublishedLongEnough() {
        String admin = Http.login("admin", "admin");
        rotate(admin);
        rotate(admin); // the PENDING key made by the first rotation signs at once: published for no time at all

        assertThat(warnings()).contains("publication-late");
        assertThat(metrics()).containsEntry("keyring_warning{warning=\"publication-late\"}", 1.0);
        given().when().get("/q/health/ready").then().statusCode(200);

        clock.advance(manager.policy().minimumPublication());
        assertThat(warnings()).doesNotContain("publication-late");
        assertThat(metrics()).containsEntry("keyring_warning{warning=\"publication-late\"}", 0.0);
    }

    private static void rotate(String admin) {
        given().auth().oauth2(admin).when().post("/admin/keys/rotate?force=true").then().statusCode(200);
    }

    private static io.restassured.response.Response login(String user, String password) {
        return given().auth().preemptive().basic(user, password).when().post("/auth/login");
    }

    private static List<String> warnings() {
        JsonPath health = given().when().get("/q/health/ready").then().extract().jsonPath();
        String warnings = health.getString("checks.find { it.name == 'jwt-keyring' }.data.warnings");
        return List.of(warnings.split(","));
    }

    private static String oldKidOf(List<Map<String, Object>> entries) {
        return entries.stream().filter(e -> "RETIRED".equals(e.get("to")) && "ACTIVE".equals(e.get("from")))
                .map(e -> (String) e.get("kid")).findFirst().orElse("(none)");
    }

    /** Every form in which the keys' secret parts could leak: encoded bytes in base64, base64url and hex. */
    private static void keyMaterialOf(KeyRing ring, List<String> secrets) {
        for (ManagedKey key : ring.keys()) {
            Optional<KeyMaterial> material = key.material();
            if (material.isPresent() && material.get().signingKey().getEncoded() != null) {
                byte[] encoded = material.get().signingKey().getEncoded();
                secrets.add(Base64.getEncoder().encodeToString(encoded).substring(0, 40));
                secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(encoded).substring(0, 40));
                secrets.add(java.util.HexFormat.of().formatHex(encoded).substring(0, 40));
            }
        }
    }

    private static Map<String, Object> json(String line) {
        try {
            return JsonUtil.parseJson(line);
        } catch (org.jose4j.lang.JoseException e) {
            throw new AssertionError("Not a JSON line: " + line, e);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^(keyring_[a-z_]+(?:\\{[^}]*\\})?) (\\S+)$",
            Pattern.MULTILINE);

    /** The module's samples at {@code /q/metrics}, by name and labels. */
    static Map<String, Double> metrics() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new java.util.HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).as("metric " + sample).containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }
}

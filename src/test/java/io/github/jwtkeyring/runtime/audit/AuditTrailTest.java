package io.github.jwtkeyring.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.runtime.audit.AuditEvent.Action;
import io.github.jwtkeyring.runtime.audit.AuditEvent.Actor;

class AuditTrailTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void line_isOneJsonObject_inAFixedOrder() throws Exception {
        String line = AuditTrail.line(new AuditEvent(T0, Action.SUBJECT_REVOKED,
                Actor.caller("admin", "192.0.2.1"), Map.of("target", "bob")));

        assertThat(line).isEqualTo("{\"time\":\"2025-01-01T00:00:00Z\",\"action\":\"subject.revoked\",\"by\":\"caller\","
                + "\"subject\":\"admin\",\"address\":\"192.0.2.1\",\"target\":\"bob\"}");
        assertThat(JsonUtil.parseJson(line)).containsEntry("target", "bob");
    }

    @Test
    void valuesFromRequests_cannotBreakTheLine_orMakeItLong() throws Exception {
        String forged = "eve\n2025-01-01 INFO [io.github.jwtkeyring.audit] {\"action\":\"key.state\"}\u0000"
                + "x".repeat(1000);

        String line = AuditTrail.line(new AuditEvent(T0, Action.LOGIN_FAILED, Actor.caller(null, "192.0.2.1"),
                Map.of("user", forged)));

        assertThat(line).doesNotContain("\n").doesNotContain("\u0000").hasSizeLessThan(400);
        Map<String, Object> parsed = JsonUtil.parseJson(line);
        assertThat(parsed).containsEntry("action", "login.failed").doesNotContainKey("subject");
        assertThat((String) parsed.get("user")).startsWith("eve\n2025").hasSize(AuditTrail.MAX_VALUE + 1);
    }

    @Test
    void scheduledChanges_nameNoCaller() {
        String line = AuditTrail.line(new AuditEvent(T0, Action.KEY_STATE, Actor.SCHEDULE,
                Map.of("kid", "k1")));

        assertThat(line).contains("\"by\":\"schedule\"").doesNotContain("subject").doesNotContain("address");
    }
}

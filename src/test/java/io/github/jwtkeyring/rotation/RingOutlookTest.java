package io.github.jwtkeyring.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.RingOutlook.Risk;

class RingOutlookTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final RotationPolicy POLICY = new RotationPolicy(SigningAlgorithm.ES256, PERIOD, Duration.ofDays(2),
            Duration.ofMinutes(15), Duration.ofSeconds(60));
    private static final Duration GRACE = Duration.ofMinutes(2);

    private final Rotation rotation = new Rotation(POLICY, new JdkKeyGenerator(new SecureRandom(), 2048));
    private final KeyRing started = rotation.advance(rotation.bootstrap(T0), T0);

    @Test
    void ringOnSchedule_countsKeys_andHasNoRisk() {
        RingOutlook outlook = RingOutlook.of(started, POLICY, T0.plusSeconds(10), GRACE);

        assertThat(outlook.keysByState()).containsEntry(KeyState.ACTIVE, 1).containsEntry(KeyState.PENDING, 1)
                .containsEntry(KeyState.RETIRED, 0).hasSize(KeyState.values().length);
        assertThat(outlook.nextActivation()).contains(T0.plus(PERIOD));
        assertThat(outlook.activeSince()).isEqualTo(T0);
        assertThat(outlook.nextDestruction()).isEmpty();
        assertThat(outlook.risks()).isEmpty();
    }

    @Test
    void forcedRotation_ofAKeyPublishedTooBriefly_isLate_untilItHasBeenPublishedLongEnough() {
        Instant now = T0.plus(Duration.ofDays(1));
        KeyRing forced = rotation.rotateNow(rotation.rotateNow(started, now, true), now, true);

        assertThat(RingOutlook.of(forced, POLICY, now, GRACE).risks()).containsExactly(Risk.PUBLICATION_LATE);
        Instant fetched = now.plus(POLICY.minimumPublication());
        assertThat(RingOutlook.of(forced, POLICY, fetched.minusSeconds(1), GRACE).risks())
                .containsExactly(Risk.PUBLICATION_LATE);
        assertThat(RingOutlook.of(forced, POLICY, fetched, GRACE).risks()).isEmpty();
    }

    @Test
    void rotationWaitedFor_isNotLate() {
        Instant now = T0.plus(Duration.ofDays(1));
        KeyRing scheduled = rotation.rotateNow(rotation.rotateNow(started, now, true), now, false);

        assertThat(scheduled.pending().orElseThrow().metadata().activates())
                .isEqualTo(now.plus(POLICY.minimumPublication()));
        assertThat(RingOutlook.of(scheduled, POLICY, now, GRACE).risks()).isEmpty();
    }

    @Test
    void pendingKeyPastItsTime_isOverdue_onlyAfterTheGrace() {
        Instant due = T0.plus(PERIOD);

        assertThat(RingOutlook.of(started, POLICY, due.plus(GRACE), GRACE).risks()).isEmpty();
        assertThat(RingOutlook.of(started, POLICY, due.plus(GRACE).plusSeconds(1), GRACE).risks())
                .containsExactly(Risk.ROTATION_OVERDUE);
        assertThat(RingOutlook.of(rotation.advance(started, due), POLICY, due.plus(GRACE).plusSeconds(1), GRACE)
                .risks()).isEmpty();
    }

    @Test
    void retiredKeyPastItsDestroyAfter_isOverdue_andTheNextDestructionIsKnown() {
        Instant due = T0.plus(PERIOD);
        KeyRing rotated = rotation.advance(started, due);
        Instant destroyAfter = rotated.keys().stream().filter(k -> k.state() == KeyState.RETIRED).findFirst()
                .orElseThrow().metadata().destroyAfter();

        assertThat(RingOutlook.of(rotated, POLICY, due, GRACE).nextDestruction()).contains(destroyAfter);
        assertThat(RingOutlook.of(rotated, POLICY, destroyAfter.plus(GRACE).plusSeconds(1), GRACE).risks())
                .containsExactly(Risk.DESTRUCTION_OVERDUE);
        assertThat(RingOutlook.of(rotated, POLICY, destroyAfter.plus(GRACE).plusSeconds(1), GRACE).withoutRisks()
                .risks()).isEmpty();
    }
}

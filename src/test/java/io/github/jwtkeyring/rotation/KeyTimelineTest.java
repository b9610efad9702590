package io.github.jwtkeyring.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.rotation.KeyTimeline.Bar;
import io.github.jwtkeyring.rotation.KeyTimeline.Phase;

class KeyTimelineTest {

    private static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(1);
    private static final RotationPolicy POLICY = new RotationPolicy(SigningAlgorithm.ES256, PERIOD, Duration.ofHours(1),
            Duration.ofMinutes(5), Duration.ofSeconds(60));

    private final Rotation rotation = new Rotation(POLICY, new JdkKeyGenerator(new SecureRandom(), 2048));
    private final KeyRing started = rotation.advance(rotation.bootstrap(T0), T0);

    @Test
    void nextRotation_isWhenThePendingKeyActivates() {
        assertThat(KeyTimeline.nextRotation(started)).isEqualTo(T0.plus(PERIOD));
    }

    @Test
    void nextRotation_withoutPendingKey_isTheActiveKeysRetirement() {
        KeyRing alone = rotation.bootstrap(T0);

        assertThat(KeyTimeline.nextRotation(alone)).isEqualTo(T0.plus(PERIOD));
    }

    @Test
    void of_givesEachKeyItsPhases_pastAndScheduled() {
        Instant rotated = T0.plus(PERIOD);
        KeyRing ring = rotation.advance(started, rotated);
        Instant now = rotated.plusSeconds(600);

        KeyTimeline timeline = KeyTimeline.of(ring, POLICY, now);

        assertThat(timeline.bars()).extracting(Bar::state)
                .containsExactly(KeyState.RETIRED, KeyState.ACTIVE, KeyState.PENDING);
        Duration window = POLICY.retireWindow(POLICY.tokenLifetime());
        assertThat(timeline.bars().get(0).phases()).containsExactly(
                new Phase(KeyState.ACTIVE, T0, rotated),
                new Phase(KeyState.RETIRED, rotated, rotated.plus(window)));
        assertThat(timeline.bars().get(1).phases()).containsExactly(
                new Phase(KeyState.PENDING, T0, rotated),
                new Phase(KeyState.ACTIVE, rotated, rotated.plus(PERIOD)),
                new Phase(KeyState.RETIRED, rotated.plus(PERIOD), rotated.plus(PERIOD).plus(window)));
        assertThat(timeline.now()).isEqualTo(now);
        assertThat(timeline.nextRotation()).isEqualTo(rotated.plus(PERIOD));
        assertThat(timeline.from()).isEqualTo(T0);
        assertThat(timeline.to()).isEqualTo(rotated.plus(PERIOD).plus(PERIOD).plus(window));
    }

    @Test
    void of_endsARevokedKeysPhasesWhenItWasRevoked() {
        Instant revoked = T0.plus(Duration.ofHours(5));
        String kid = started.active().kid();

        KeyTimeline timeline = KeyTimeline.of(rotation.revoke(started, kid, revoked), POLICY, revoked);

        Bar bar = timeline.bars().get(0);
        assertThat(bar.state()).isEqualTo(KeyState.REVOKED);
        assertThat(bar.revoked()).isEqualTo(revoked);
        assertThat(bar.phases()).containsExactly(new Phase(KeyState.ACTIVE, T0, revoked));
    }

    @Test
    void of_showsTheNewestKeysOnly_andAtMostTwoPeriodsOfHistory() {
        KeyRing ring = started;
        Instant now = T0;
        for (int i = 0; i < KeyTimeline.MAX_KEYS + 4; i++) {
            now = now.plus(PERIOD);
            ring = rotation.advance(ring, now);
        }

        KeyTimeline timeline = KeyTimeline.of(ring, POLICY, now);

        List<String> newest = ring.keys().subList(ring.keys().size() - KeyTimeline.MAX_KEYS, ring.keys().size())
                .stream().map(k -> k.kid()).toList();
        assertThat(timeline.bars()).extracting(Bar::kid).containsExactlyElementsOf(newest);
        assertThat(timeline.omitted()).isEqualTo(ring.keys().size() - KeyTimeline.MAX_KEYS);
        assertThat(timeline.from()).isEqualTo(now.minus(PERIOD.multipliedBy(2)));
    }
}

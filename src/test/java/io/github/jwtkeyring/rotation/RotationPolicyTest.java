package io.github.jwtkeyring.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;

class RotationPolicyTest {

    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration PUBLISH_AHEAD = Duration.ofDays(2);
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private static RotationPolicy policy(Duration period, Duration publishAhead, Duration lifetime, Duration skew) {
        return new RotationPolicy(SigningAlgorithm.ES256, period, publishAhead, lifetime, skew);
    }

    private static RotationPolicy defaults() {
        return policy(PERIOD, PUBLISH_AHEAD, LIFETIME, SKEW);
    }

    @Test
    void policy_withSensibleValues_isAccepted() {
        RotationPolicy policy = defaults();

        assertThat(policy.algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(policy.period()).isEqualTo(PERIOD);
        assertThat(policy.publishAhead()).isEqualTo(PUBLISH_AHEAD);
    }

    @Test
    void clusterReloadInterval_notShorterThanPublishAhead_isRefusedNamingBoth() {
        assertThatThrownBy(() -> new RotationPolicy(SigningAlgorithm.ES256, PERIOD, PUBLISH_AHEAD, LIFETIME, SKEW,
                PUBLISH_AHEAD))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("publish-ahead time")
                .hasMessageContaining("propagation time");
        assertThat(new RotationPolicy(SigningAlgorithm.ES256, PERIOD, PUBLISH_AHEAD, LIFETIME, SKEW,
                PUBLISH_AHEAD.minusSeconds(1)).propagation()).isEqualTo(PUBLISH_AHEAD.minusSeconds(1));
    }

    @Test
    void publishAhead_equalToPeriod_isRefused() {
        assertThatThrownBy(() -> policy(PERIOD, PERIOD, LIFETIME, SKEW))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("publish-ahead time")
                .hasMessageContaining("rotation period");
    }

    @Test
    void publishAhead_longerThanPeriod_isRefused() {
        assertThatThrownBy(() -> policy(PERIOD, PERIOD.plusSeconds(1), LIFETIME, SKEW))
                .isInstanceOf(KeyringException.class);
    }

    @Test
    void publishAhead_justShorterThanPeriod_isAccepted() {
        assertThatNoException().isThrownBy(() -> policy(PERIOD, PERIOD.minusSeconds(1), LIFETIME, SKEW));
    }

    @ParameterizedTest
    @ValueSource(longs = { 0, -1, -86_400 })
    void period_zeroOrNegative_isRefusedNamingIt(long seconds) {
        assertThatThrownBy(() -> policy(Duration.ofSeconds(seconds), PUBLISH_AHEAD, LIFETIME, SKEW))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("rotation period");
    }

    @ParameterizedTest
    @ValueSource(longs = { 0, -1, -86_400 })
    void publishAhead_zeroOrNegative_isRefusedNamingIt(long seconds) {
        assertThatThrownBy(() -> policy(PERIOD, Duration.ofSeconds(seconds), LIFETIME, SKEW))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("publish-ahead time");
    }

    @ParameterizedTest
    @ValueSource(longs = { 0, -1, -900 })
    void tokenLifetime_zeroOrNegative_isRefusedNamingIt(long seconds) {
        assertThatThrownBy(() -> policy(PERIOD, PUBLISH_AHEAD, Duration.ofSeconds(seconds), SKEW))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("token lifetime");
    }

    @Test
    void missingDuration_isRefused() {
        assertThatThrownBy(() -> policy(null, PUBLISH_AHEAD, LIFETIME, SKEW)).isInstanceOf(KeyringException.class);
        assertThatThrownBy(() -> policy(PERIOD, null, LIFETIME, SKEW)).isInstanceOf(KeyringException.class);
        assertThatThrownBy(() -> policy(PERIOD, PUBLISH_AHEAD, null, SKEW)).isInstanceOf(KeyringException.class);
    }

    @Test
    void clockSkew_negative_isRefused() {
        assertThatThrownBy(() -> policy(PERIOD, PUBLISH_AHEAD, LIFETIME, Duration.ofSeconds(-1)))
                .isInstanceOf(KeyringException.class)
                .hasMessageContaining("clock skew");
    }

    @Test
    void clockSkew_zero_isAccepted() {
        RotationPolicy policy = policy(PERIOD, PUBLISH_AHEAD, LIFETIME, Duration.ZERO);

        assertThat(policy.retireWindow(LIFETIME)).isEqualTo(LIFETIME.plus(policy.jwksMaxAge()));
    }

    @Test
    void jwksMaxAge_isHalfThePublishAheadTime() {
        assertThat(defaults().jwksMaxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(policy(PERIOD, Duration.ofMinutes(10), LIFETIME, SKEW).jwksMaxAge())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jwksMaxAge_isShorterThanPublishAhead_soVerifiersRefetchBeforeTheNewKeySigns() {
        RotationPolicy policy = defaults();

        assertThat(policy.jwksMaxAge()).isLessThan(policy.publishAhead());
    }

    @Test
    void retireWindow_isLongestLifetimePlusSkewPlusJwksMaxAge() {
        RotationPolicy policy = defaults();

        assertThat(policy.retireWindow(Duration.ofMinutes(15)))
                .isEqualTo(Duration.ofMinutes(15).plusSeconds(60).plus(Duration.ofDays(1)));
        assertThat(policy.retireWindow(Duration.ofHours(8)))
                .isEqualTo(Duration.ofHours(8).plusSeconds(60).plus(Duration.ofDays(1)));
    }

    @Test
    void retireWindow_growsWithTheIssuedLifetime() {
        RotationPolicy policy = defaults();

        assertThat(policy.retireWindow(Duration.ofHours(1))).isGreaterThan(policy.retireWindow(LIFETIME));
    }
}

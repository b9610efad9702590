package io.github.jwtkeyring.rotation;

import static io.github.jwtkeyring.keys.KeyState.ACTIVE;
import static io.github.jwtkeyring.keys.KeyState.PENDING;
import static io.github.jwtkeyring.keys.KeyState.RETIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.UnsupportedKeyOperationException;
import io.github.jwtkeyring.testing.MutableClock;

class DerivedHmacKeyRingManagerTest {

    private static final Duration PERIOD = Duration.ofHours(24);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    /** 2025-01-01T00:00:00Z is the start of day 20089 since the epoch. */
    private static final long N = 20089;
    private static final Instant PERIOD_START = Instant.ofEpochSecond(N * PERIOD.getSeconds());
    private static final Instant NEXT_PERIOD_START = PERIOD_START.plus(PERIOD);
    private static final Instant MIDDAY = PERIOD_START.plus(Duration.ofHours(12));

    private final MutableClock clock = new MutableClock(MIDDAY);

    private static RotationPolicy policy(SigningAlgorithm algorithm, Duration period, Duration lifetime,
            Duration skew) {
        return new RotationPolicy(algorithm, period, Duration.ofSeconds(1), lifetime, skew);
    }

    private static RotationPolicy policy(SigningAlgorithm algorithm) {
        return policy(algorithm, PERIOD, LIFETIME, SKEW);
    }

    private static byte[] master(int length, int seed) {
        byte[] master = new byte[length];
        for (int i = 0; i < length; i++) {
            master[i] = (byte) (seed * 31 + i * 7);
        }
        return master;
    }

    private DerivedHmacKeyRingManager manager(SigningAlgorithm algorithm, int acceptPrevious, byte[] master) {
        return new DerivedHmacKeyRingManager(policy(algorithm), acceptPrevious, master, clock);
    }

    private DerivedHmacKeyRingManager manager(int acceptPrevious) {
        return manager(SigningAlgorithm.HS256, acceptPrevious, master(32, 1));
    }

    private static byte[] secret(ManagedKey key) {
        return key.requireMaterial().verificationKey().getEncoded();
    }

    private static List<String> kids(KeyRing ring, KeyState state) {
        return ring.keys().stream().filter(k -> k.state() == state).map(ManagedKey::kid).toList();
    }

    // ---------------------------------------------------------------- derivation

    @Test
    void twoManagersWithTheSameMaster_deriveTheSameKidsAndSecrets() {
        KeyRing one = manager(SigningAlgorithm.HS256, 1, master(32, 1)).start();
        KeyRing other = manager(SigningAlgorithm.HS256, 1, master(32, 1)).start();

        assertThat(other.active().kid()).isEqualTo(one.active().kid());
        assertThat(secret(other.active())).isEqualTo(secret(one.active())).hasSize(32);
        assertThat(other.keys()).extracting(ManagedKey::kid).isEqualTo(one.keys().stream().map(ManagedKey::kid)
                .toList());
        for (ManagedKey key : one.keys()) {
            assertThat(secret(other.require(key.kid()))).as(key.kid()).isEqualTo(secret(key));
        }
    }

    @Test
    void anotherMaster_derivesTheSameKidButAnotherSecret() {
        KeyRing one = manager(SigningAlgorithm.HS256, 1, master(32, 1)).current();
        KeyRing other = manager(SigningAlgorithm.HS256, 1, master(32, 2)).current();

        assertThat(other.active().kid()).isEqualTo(one.active().kid());
        assertThat(secret(other.active())).isNotEqualTo(secret(one.active()));
    }

    @Test
    void eachPeriod_hasItsOwnSecret() {
        KeyRing ring = manager(3).current();

        assertThat(ring.keys()).hasSize(4);
        assertThat(ring.keys().stream().map(k -> Arrays.toString(secret(k))).distinct()).hasSize(4);
    }

    @Test
    void constructor_doesNotKeepTheCallersMasterArray() {
        byte[] master = master(32, 1);
        DerivedHmacKeyRingManager manager = manager(SigningAlgorithm.HS256, 1, master);
        byte[] before = secret(manager.current().active());

        Arrays.fill(master, (byte) 0);
        clock.advance(PERIOD);
        manager.current(); // derives the keys again
        clock.advance(PERIOD.negated());
        DerivedHmacKeyRingManager fresh = manager(SigningAlgorithm.HS256, 1, master(32, 1));

        assertThat(secret(manager.current().active())).isEqualTo(before);
        assertThat(secret(fresh.current().active())).isEqualTo(before);
    }

    @Test
    void hs384AndHs512_deriveSecretsOfTheirHashLength() {
        KeyRing hs384 = manager(SigningAlgorithm.HS384, 1, master(32, 1)).current();
        KeyRing hs512 = manager(SigningAlgorithm.HS512, 1, master(32, 1)).current();

        assertThat(secret(hs384.active())).hasSize(48);
        assertThat(hs384.active().algorithm()).isEqualTo(SigningAlgorithm.HS384);
        assertThat(hs384.active().kid()).isEqualTo("HS384-PT24H-" + N);
        assertThat(secret(hs512.active())).hasSize(64);
        assertThat(hs512.active().algorithm()).isEqualTo(SigningAlgorithm.HS512);
        assertThat(hs512.active().kid()).isEqualTo("HS512-PT24H-" + N);
        assertThat(secret(hs384.keys().get(0))).hasSize(48);
    }

    // ---------------------------------------------------------------- the ring at an instant

    @Test
    void current_inPeriodN_hasActiveKeyNAndAcceptPreviousRetiredKeys() {
        KeyRing ring = manager(1).current();

        assertThat(ring.active().kid()).isEqualTo("HS256-PT24H-" + N).endsWith("-" + N);
        assertThat(ring.active().state()).isEqualTo(ACTIVE);
        assertThat(kids(ring, RETIRED)).containsExactly("HS256-PT24H-" + (N - 1));
        assertThat(ring.verifying("HS256-PT24H-" + (N - 1))).isPresent();
        assertThat(ring.verifying("HS256-PT24H-" + (N - 2))).as("older than acceptPrevious").isEmpty();
        assertThat(ring.pending()).isEmpty();
        assertThat(ring.keys()).hasSize(2);
    }

    @Test
    void current_withAcceptPreviousThree_retiresExactlyTheThreePeriodsBefore() {
        KeyRing ring = manager(3).current();

        assertThat(kids(ring, RETIRED)).containsExactlyInAnyOrder("HS256-PT24H-" + (N - 3), "HS256-PT24H-" + (N - 2),
                "HS256-PT24H-" + (N - 1));
        assertThat(ring.verifying("HS256-PT24H-" + (N - 4))).isEmpty();
    }

    @Test
    void current_atTheFirstSecondOfAPeriod_makesItsKeyActive() {
        clock.set(PERIOD_START);

        assertThat(manager(1).current().active().kid()).endsWith("-" + N);

        clock.set(PERIOD_START.minusNanos(1));
        assertThat(manager(1).current().active().kid()).endsWith("-" + (N - 1));
    }

    @Test
    void current_publishesTheNextKeyAsPendingOnlyOnceTheClockIsWithinTheSkewOfItsPeriod() {
        DerivedHmacKeyRingManager manager = manager(1);

        clock.set(NEXT_PERIOD_START.minus(SKEW).minusSeconds(1));
        assertThat(manager.current().pending()).isEmpty();
        assertThat(manager.current().verifying("HS256-PT24H-" + (N + 1))).isEmpty();

        clock.set(NEXT_PERIOD_START.minus(SKEW));
        KeyRing ring = manager.current();
        ManagedKey pending = ring.pending().orElseThrow();
        assertThat(pending.kid()).isEqualTo("HS256-PT24H-" + (N + 1));
        assertThat(pending.state()).isEqualTo(PENDING);
        assertThat(ring.verifying(pending.kid())).isPresent();
        assertThat(ring.active().kid()).as("it does not sign yet").endsWith("-" + N);
    }

    @Test
    void current_acrossAPeriodBoundary_promotesTheNextKeyAndRetiresTheActiveOne() {
        DerivedHmacKeyRingManager manager = manager(1);
        clock.set(NEXT_PERIOD_START.minusSeconds(1));
        KeyRing before = manager.current();
        ManagedKey oldActive = before.active();
        ManagedKey pending = before.pending().orElseThrow();

        clock.set(NEXT_PERIOD_START);
        KeyRing after = manager.current();

        assertThat(after.active().kid()).isEqualTo(pending.kid()).isNotEqualTo(oldActive.kid());
        assertThat(secret(after.active())).isEqualTo(secret(pending));
        ManagedKey retired = after.require(oldActive.kid());
        assertThat(retired.state()).isEqualTo(RETIRED);
        assertThat(secret(retired)).as("the same key keeps verifying").isEqualTo(secret(oldActive));
        assertThat(after.verifying("HS256-PT24H-" + (N - 1))).as("it left the accept window").isEmpty();
        assertThat(after.version()).isGreaterThan(before.version());
        assertThat(manager.tick().active().kid()).isEqualTo(after.active().kid());
    }

    @Test
    void current_withinOnePeriod_returnsTheSameSnapshot() {
        DerivedHmacKeyRingManager manager = manager(1);
        KeyRing ring = manager.current();

        clock.advance(Duration.ofHours(1));

        assertThat(manager.current()).isSameAs(ring);
    }

    // ---------------------------------------------------------------- settings checks

    @Test
    void constructor_withAsymmetricAlgorithm_throws() {
        assertThatThrownBy(() -> manager(SigningAlgorithm.ES256, 1, master(32, 1)))
                .isInstanceOf(KeyringException.class).hasMessageContaining("HMAC").hasMessageContaining("ES256");
        assertThatThrownBy(() -> manager(SigningAlgorithm.RS256, 1, master(32, 1)))
                .isInstanceOf(KeyringException.class);
    }

    @Test
    void constructor_withMasterShorterThan32Bytes_throws() {
        assertThatThrownBy(() -> manager(SigningAlgorithm.HS256, 1, master(31, 1)))
                .isInstanceOf(KeyringException.class).hasMessageContaining("32").hasMessageContaining("31");
        assertThatThrownBy(() -> manager(SigningAlgorithm.HS256, 1, null)).isInstanceOf(KeyringException.class)
                .hasMessageContaining("32");
    }

    @Test
    void constructor_withAcceptPreviousZero_throws() {
        assertThatThrownBy(() -> manager(0)).isInstanceOf(KeyringException.class)
                .hasMessageContaining("previous period");
    }

    @Test
    void constructor_whenTokenLifetimePlusSkewOutlivesTheAcceptedPeriods_throws() {
        Duration period = Duration.ofHours(1);

        assertThatThrownBy(() -> new DerivedHmacKeyRingManager(
                policy(SigningAlgorithm.HS256, period, Duration.ofMinutes(59).plusSeconds(1), SKEW), 1,
                master(32, 1), clock)).isInstanceOf(KeyringException.class).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> new DerivedHmacKeyRingManager(
                policy(SigningAlgorithm.HS256, period, Duration.ofHours(2), SKEW), 2, master(32, 1), clock))
                .isInstanceOf(KeyringException.class);

        DerivedHmacKeyRingManager exactFit = new DerivedHmacKeyRingManager(
                policy(SigningAlgorithm.HS256, period, Duration.ofMinutes(59), SKEW), 1, master(32, 1), clock);
        assertThat(exactFit.current().active().metadata().maxIssuedLifetime()).isEqualTo(Duration.ofMinutes(59));
    }

    @Test
    void constructor_withFractionalSecondPeriod_throws() {
        assertThatThrownBy(() -> new DerivedHmacKeyRingManager(
                policy(SigningAlgorithm.HS256, Duration.ofMillis(86_400_500), LIFETIME, SKEW), 1, master(32, 1),
                clock)).isInstanceOf(KeyringException.class).hasMessageContaining("whole number of seconds");
    }

    // ---------------------------------------------------------------- signing and administration

    @Test
    void signingKey_returnsTheActiveKeyForLifetimesTheRingCanVerify() {
        DerivedHmacKeyRingManager manager = manager(1);
        Duration longest = PERIOD.minus(SKEW);

        assertThat(manager.signingKey(LIFETIME).kid()).isEqualTo(manager.current().active().kid());
        assertThat(manager.signingKey(longest).kid()).isEqualTo(manager.current().active().kid());
        assertThatThrownBy(() -> manager.signingKey(longest.plusSeconds(1))).isInstanceOf(KeyringException.class)
                .hasMessageContaining(longest.toString());
    }

    @Test
    void rotateNowAndRevoke_areUnsupported() {
        DerivedHmacKeyRingManager manager = manager(1);
        String kid = manager.current().active().kid();

        assertThatThrownBy(manager::rotateNow).isInstanceOf(UnsupportedKeyOperationException.class)
                .hasMessageContaining("master secret");
        assertThatThrownBy(() -> manager.revoke(kid)).isInstanceOf(UnsupportedKeyOperationException.class);
        assertThat(manager.current().active().kid()).isEqualTo(kid);
    }

    @Test
    void toString_namesAlgorithmAndPeriodButNoSecret() {
        DerivedHmacKeyRingManager manager = manager(1);

        assertThat(manager.toString()).isEqualTo("DerivedHmacKeyRingManager[HS256, period PT24H]");
    }
}

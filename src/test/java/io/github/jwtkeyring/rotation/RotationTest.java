package io.github.jwtkeyring.rotation;

import static io.github.jwtkeyring.keys.KeyState.ACTIVE;
import static io.github.jwtkeyring.keys.KeyState.DESTROYED;
import static io.github.jwtkeyring.keys.KeyState.PENDING;
import static io.github.jwtkeyring.keys.KeyState.RETIRED;
import static io.github.jwtkeyring.keys.KeyState.REVOKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.IllegalKeyTransitionException;
import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.KeyGenerator;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.PublicJwk;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.UnknownKeyException;

class RotationTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration PUBLISH_AHEAD = Duration.ofDays(2);
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final RotationPolicy POLICY = new RotationPolicy(SigningAlgorithm.ES256, PERIOD, PUBLISH_AHEAD, LIFETIME,
            SKEW);
    private static final KeyGenerator JDK = new JdkKeyGenerator(new SecureRandom(), 2048);

    private final AtomicInteger generated = new AtomicInteger();
    private final Rotation rotation = new Rotation(POLICY, algorithm -> {
        generated.incrementAndGet();
        return JDK.generate(algorithm);
    });

    /** When the first PENDING key of a ring bootstrapped at T0 is due. */
    private static final Instant PENDING_DUE = T0.plus(PERIOD).minus(PUBLISH_AHEAD);
    /** When that PENDING key takes over. */
    private static final Instant ROTATION = T0.plus(PERIOD);

    private KeyRing withPending() {
        return rotation.advance(rotation.bootstrap(T0), PENDING_DUE);
    }

    private KeyRing rotated() {
        return rotation.advance(withPending(), ROTATION);
    }

    private static ManagedKey key(KeyRing ring, String kid) {
        return ring.require(kid);
    }

    // --- bootstrap

    @Test
    void bootstrap_createsOneActiveKeySigningForOnePeriod() {
        KeyRing ring = rotation.bootstrap(T0);

        assertThat(ring.version()).isEqualTo(1);
        assertThat(ring.keys()).hasSize(1);
        assertThat(ring.pending()).isEmpty();
        ManagedKey active = ring.active();
        assertThat(active.state()).isEqualTo(ACTIVE);
        assertThat(active.algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(active.material()).isPresent();
        assertThat(active.metadata().created()).isEqualTo(T0);
        assertThat(active.metadata().activates()).isEqualTo(T0);
        assertThat(active.metadata().retires()).isEqualTo(T0.plus(PERIOD));
        assertThat(active.metadata().destroyAfter()).isNull();
        assertThat(active.metadata().maxIssuedLifetime()).isEqualTo(LIFETIME);
    }

    @Test
    void bootstrap_kidIsTheJwkThumbprintOfThePublicKey() {
        ManagedKey active = rotation.bootstrap(T0).active();

        assertThat(active.kid()).isEqualTo(PublicJwk.thumbprint(active.requireMaterial().publicKey()));
    }

    // --- advance: the schedule

    @Test
    void advance_ofARingWithoutPendingKey_publishesOneAtOnce_activatingWhenTheActiveKeyRetires() {
        KeyRing ring = rotation.bootstrap(T0);

        KeyRing next = rotation.advance(ring, T0);

        assertThat(next.version()).isEqualTo(ring.version() + 1);
        assertThat(next.keys()).hasSize(2);
        assertThat(next.active()).isSameAs(ring.active());
        ManagedKey pending = next.pending().orElseThrow();
        assertThat(pending.kid()).isNotEqualTo(ring.active().kid());
        assertThat(pending.state()).isEqualTo(PENDING);
        assertThat(pending.metadata().created()).isEqualTo(T0);
        assertThat(pending.metadata().activates()).isEqualTo(ring.active().metadata().retires());
        assertThat(pending.metadata().retires()).isEqualTo(ROTATION.plus(PERIOD));
        assertThat(next.verifying(pending.kid())).as("published so verifiers learn it").isPresent();
    }

    @Test
    void advance_withThePendingKeyPublished_changesNothingUntilItActivates() {
        KeyRing ring = withPending();
        int before = generated.get();

        assertThat(rotation.advance(ring, T0.plus(Duration.ofDays(10)))).isSameAs(ring);
        assertThat(rotation.advance(ring, ROTATION.minusSeconds(1))).isSameAs(ring);
        assertThat(generated.get()).isEqualTo(before);
    }

    @Test
    void due_tellsWhetherAdvanceWouldChangeTheRing_withoutGeneratingAKey() {
        KeyRing bootstrapped = rotation.bootstrap(T0);
        KeyRing published = withPending();
        KeyRing ring = rotated();
        Instant destroyAfter = ring.keys().stream().filter(k -> k.state() == RETIRED).findFirst().orElseThrow()
                .metadata().destroyAfter();
        int before = generated.get();

        assertThat(rotation.due(bootstrapped, T0)).as("a ring without a PENDING key").isTrue();
        assertThat(rotation.due(published, T0.plus(Duration.ofDays(10)))).isFalse();
        assertThat(rotation.due(ring, destroyAfter.minusSeconds(1))).isFalse();
        assertThat(rotation.due(ring, destroyAfter)).as("a RETIRED key to destroy").isTrue();
        assertThat(rotation.due(ring, ROTATION.plus(PERIOD))).as("the PENDING key to promote").isTrue();
        assertThat(generated.get()).isEqualTo(before);
        for (Instant at : new Instant[] { destroyAfter.minusSeconds(1), destroyAfter, ROTATION.plus(PERIOD) }) {
            assertThat(rotation.due(ring, at)).isEqualTo(rotation.advance(ring, at) != ring);
        }
    }

    @Test
    void advance_withPendingNotYetActive_returnsTheSameRing() {
        KeyRing ring = withPending();

        assertThat(rotation.advance(ring, PENDING_DUE)).isSameAs(ring);
        assertThat(rotation.advance(ring, ROTATION.minusSeconds(1))).isSameAs(ring);
    }

    @Test
    void advance_whenPendingActivates_promotesItAndRetiresTheActiveKey() {
        KeyRing ring = withPending();
        String oldKid = ring.active().kid();
        String newKid = ring.pending().orElseThrow().kid();

        KeyRing next = rotation.advance(ring, ROTATION);

        ManagedKey active = next.active();
        assertThat(active.kid()).isEqualTo(newKid);
        assertThat(active.metadata().activates()).isEqualTo(ROTATION);
        assertThat(active.metadata().retires()).isEqualTo(ROTATION.plus(PERIOD));
        ManagedKey retired = key(next, oldKid);
        assertThat(retired.state()).isEqualTo(RETIRED);
        assertThat(retired.metadata().retires()).isEqualTo(ROTATION);
        assertThat(retired.metadata().destroyAfter()).isEqualTo(ROTATION.plus(POLICY.retireWindow(LIFETIME)));
        assertThat(next.verifying(oldKid)).as("tokens it signed still verify").isPresent();
        assertThat(next.pending().orElseThrow().metadata().activates()).as("the next key, published at once")
                .isEqualTo(ROTATION.plus(PERIOD));
    }

    @Test
    void advance_retiredKey_isDestroyedExactlyWhenItsRetireWindowEnds() {
        KeyRing ring = rotated();
        ManagedKey retired = ring.keys().stream().filter(k -> k.state() == RETIRED).findFirst().orElseThrow();
        Instant destroyAfter = retired.metadata().destroyAfter();

        KeyRing oneSecondEarly = rotation.advance(ring, destroyAfter.minusSeconds(1));
        KeyRing onTime = rotation.advance(ring, destroyAfter);

        assertThat(oneSecondEarly).isSameAs(ring);
        assertThat(key(oneSecondEarly, retired.kid()).material()).isPresent();
        ManagedKey destroyed = key(onTime, retired.kid());
        assertThat(destroyed.state()).isEqualTo(DESTROYED);
        assertThat(destroyed.material()).isEmpty();
        assertThat(onTime.verifying(retired.kid())).isEmpty();
        assertThat(onTime.active()).isSameAs(ring.active());
    }

    @Test
    void advance_afterLongDowntime_keepsActiveKeySigningUntilSuccessorWasPublishedForPublishAhead() {
        KeyRing ring = rotation.bootstrap(T0);
        ManagedKey active = ring.active();
        Instant back = T0.plus(PERIOD.multipliedBy(10));

        KeyRing next = rotation.advance(ring, back);

        assertThat(next.active()).isSameAs(active);
        assertThat(next.active().material()).isPresent();
        ManagedKey pending = next.pending().orElseThrow();
        assertThat(pending.metadata().activates()).isEqualTo(back.plus(PUBLISH_AHEAD));

        assertThat(rotation.advance(next, back.plus(PUBLISH_AHEAD).minusSeconds(1))).isSameAs(next);
        KeyRing rotated = rotation.advance(next, back.plus(PUBLISH_AHEAD));
        assertThat(rotated.active().kid()).isEqualTo(pending.kid());
        assertThat(key(rotated, active.kid()).state()).isEqualTo(RETIRED);
    }

    @Test
    void advance_afterDowntimeWithOverduePending_promotesItAtOnceAndDestroysExpiredKeys() {
        KeyRing ring = rotated();
        String retiredKid = ring.keys().get(0).kid();
        ring = rotation.advance(ring, ring.active().metadata().retires().minus(PUBLISH_AHEAD));
        String pendingKid = ring.pending().orElseThrow().kid();
        Instant back = ring.active().metadata().retires().plus(PERIOD.multipliedBy(5));

        KeyRing next = rotation.advance(ring, back);

        assertThat(next.active().kid()).isEqualTo(pendingKid);
        assertThat(next.active().metadata().activates()).isEqualTo(back);
        assertThat(key(next, retiredKid).state()).isEqualTo(DESTROYED);
    }

    // --- rotateNow

    @Test
    void rotateNow_ofAPendingKeyPublishedForTheJwksMaxAge_promotesItAndPublishesTheNextAtOnce() {
        KeyRing ring = withPending();
        String oldKid = ring.active().kid();
        String pendingKid = ring.pending().orElseThrow().kid();
        Instant now = PENDING_DUE.plus(POLICY.jwksMaxAge());

        KeyRing next = rotation.rotateNow(ring, now);

        assertThat(next.active().kid()).isEqualTo(pendingKid);
        assertThat(next.active().metadata().activates()).isEqualTo(now);
        assertThat(next.active().metadata().retires()).isEqualTo(now.plus(PERIOD));
        ManagedKey retired = key(next, oldKid);
        assertThat(retired.state()).isEqualTo(RETIRED);
        assertThat(retired.metadata().destroyAfter()).isEqualTo(now.plus(POLICY.retireWindow(LIFETIME)));
        ManagedKey newPending = next.pending().orElseThrow();
        assertThat(newPending.kid()).isNotIn(oldKid, pendingKid);
        assertThat(newPending.metadata().activates()).isEqualTo(now.plus(PERIOD));
        assertThat(next.version()).isGreaterThan(ring.version());
    }

    /**
     * A verifier that fetched the JWKS just before the PENDING key appeared, and keeps it for its {@code max-age},
     * would reject the key's tokens: so it signs only once it has been published that long.
     */
    @Test
    void rotateNow_ofAPendingKeyPublishedTooBriefly_schedulesItForWhenEveryCachedJwksHoldsIt() {
        KeyRing ring = withPending();
        String activeKid = ring.active().kid();
        ManagedKey pending = ring.pending().orElseThrow();
        Instant now = PENDING_DUE.plus(Duration.ofMinutes(1));

        KeyRing next = rotation.rotateNow(ring, now);

        assertThat(next.active().kid()).isEqualTo(activeKid);
        assertThat(next.pending().orElseThrow().kid()).isEqualTo(pending.kid());
        Instant signs = PENDING_DUE.plus(POLICY.jwksMaxAge());
        assertThat(next.pending().orElseThrow().metadata().activates()).isEqualTo(signs);
        assertThat(rotation.rotateNow(next, now.plusSeconds(1))).as("asked again: already scheduled").isSameAs(next);
        assertThat(rotation.advance(next, signs.minusSeconds(1))).isSameAs(next);
        assertThat(rotation.advance(next, signs).active().kid()).isEqualTo(pending.kid());
    }

    @Test
    void rotateNow_forced_promotesAPendingKeyPublishedTooBriefly_atOnce() {
        KeyRing ring = withPending();
        String pendingKid = ring.pending().orElseThrow().kid();
        Instant now = PENDING_DUE.plus(Duration.ofMinutes(1));

        KeyRing next = rotation.rotateNow(ring, now, true);

        assertThat(next.active().kid()).isEqualTo(pendingKid);
        assertThat(next.active().metadata().activates()).isEqualTo(now);
    }

    @Test
    void rotateNow_withoutPending_publishesAKeyAndSchedulesIt_orForcedPromotesAFreshKeyAtOnce() {
        KeyRing ring = rotation.bootstrap(T0);
        String oldKid = ring.active().kid();
        Instant now = T0.plus(Duration.ofDays(3));

        KeyRing scheduled = rotation.rotateNow(ring, now);
        assertThat(scheduled.active().kid()).isEqualTo(oldKid);
        assertThat(scheduled.pending().orElseThrow().metadata().activates()).isEqualTo(now.plus(POLICY.jwksMaxAge()));

        KeyRing forced = rotation.rotateNow(ring, now, true);
        assertThat(forced.keys()).hasSize(3);
        assertThat(forced.active().kid()).isNotEqualTo(oldKid);
        assertThat(forced.active().metadata().activates()).isEqualTo(now);
        assertThat(forced.active().material()).isPresent();
        assertThat(key(forced, oldKid).state()).isEqualTo(RETIRED);
        assertThat(forced.pending().orElseThrow().kid()).isNotIn(oldKid, forced.active().kid());
    }

    // --- revoke

    @Test
    void revoke_activeWithPending_revokesItAndPromotesThePending() {
        KeyRing ring = withPending();
        String compromised = ring.active().kid();
        String pendingKid = ring.pending().orElseThrow().kid();
        Instant now = PENDING_DUE.plus(Duration.ofHours(5));

        KeyRing next = rotation.revoke(ring, compromised, now);

        ManagedKey revoked = key(next, compromised);
        assertThat(revoked.state()).isEqualTo(REVOKED);
        assertThat(revoked.material()).isEmpty();
        assertThat(revoked.metadata().revoked()).isEqualTo(now);
        assertThat(next.verifying(compromised)).isEmpty();
        assertThat(next.active().kid()).isEqualTo(pendingKid);
        assertThat(next.active().metadata().activates()).isEqualTo(now);
        assertThat(next.active().metadata().retires()).isEqualTo(now.plus(PERIOD));
    }

    @Test
    void revoke_activeWithoutPending_promotesAFreshKey() {
        KeyRing ring = rotation.bootstrap(T0);
        String compromised = ring.active().kid();
        Instant now = T0.plus(Duration.ofDays(1));

        KeyRing next = rotation.revoke(ring, compromised, now);

        assertThat(key(next, compromised).state()).isEqualTo(REVOKED);
        assertThat(key(next, compromised).material()).isEmpty();
        assertThat(next.active().kid()).isNotEqualTo(compromised);
        assertThat(next.active().material()).isPresent();
        assertThat(next.active().metadata().activates()).isEqualTo(now);
    }

    @Test
    void revoke_retired_revokesItAndKeepsTheActiveKey() {
        KeyRing ring = rotated();
        String retiredKid = ring.keys().stream().filter(k -> k.state() == RETIRED).findFirst().orElseThrow().kid();
        Instant now = ROTATION.plusSeconds(60);

        KeyRing next = rotation.revoke(ring, retiredKid, now);

        assertThat(key(next, retiredKid).state()).isEqualTo(REVOKED);
        assertThat(key(next, retiredKid).material()).isEmpty();
        assertThat(next.verifying(retiredKid)).isEmpty();
        assertThat(next.active()).isSameAs(ring.active());
    }

    @Test
    void revoke_pending_revokesItAndPublishesAReplacementWhenOneIsDue() {
        KeyRing ring = withPending();
        String pendingKid = ring.pending().orElseThrow().kid();
        Instant now = PENDING_DUE.plusSeconds(60);

        KeyRing next = rotation.revoke(ring, pendingKid, now);

        assertThat(key(next, pendingKid).state()).isEqualTo(REVOKED);
        assertThat(next.active()).isSameAs(ring.active());
        ManagedKey replacement = next.pending().orElseThrow();
        assertThat(replacement.kid()).isNotEqualTo(pendingKid);
        assertThat(replacement.metadata().activates()).isEqualTo(now.plus(PUBLISH_AHEAD));
    }

    @Test
    void revoke_destroyed_isRefused() {
        KeyRing ring = rotated();
        String kid = ring.keys().get(0).kid();
        Instant destroyAfter = key(ring, kid).metadata().destroyAfter();
        KeyRing destroyed = rotation.advance(ring, destroyAfter);

        assertThatThrownBy(() -> rotation.revoke(destroyed, kid, destroyAfter.plusSeconds(1)))
                .isInstanceOfSatisfying(IllegalKeyTransitionException.class, e -> {
                    assertThat(e.kid()).isEqualTo(kid);
                    assertThat(e.from()).isEqualTo(DESTROYED);
                    assertThat(e.to()).isEqualTo(REVOKED);
                });
    }

    @Test
    void revoke_unknownKid_isRefused() {
        KeyRing ring = rotation.bootstrap(T0);

        assertThatThrownBy(() -> rotation.revoke(ring, "no-such-kid", T0))
                .isInstanceOfSatisfying(UnknownKeyException.class, e -> assertThat(e.kid()).isEqualTo("no-such-kid"));
    }

    @Test
    void revoke_alreadyRevoked_returnsTheSameRing() {
        KeyRing ring = rotated();
        String kid = ring.keys().get(0).kid();
        KeyRing revoked = rotation.revoke(ring, kid, ROTATION.plusSeconds(1));

        assertThat(rotation.revoke(revoked, kid, ROTATION.plusSeconds(2))).isSameAs(revoked);
    }

    // --- recordIssue

    @Test
    void recordIssue_longerLifetime_lengthensTheRetireWindowOfTheNextPromotion() {
        KeyRing ring = withPending();
        String kid = ring.active().kid();
        Duration longer = Duration.ofHours(8);

        KeyRing recorded = rotation.recordIssue(ring, kid, longer);
        KeyRing next = rotation.advance(recorded, ROTATION);

        assertThat(key(recorded, kid).metadata().maxIssuedLifetime()).isEqualTo(longer);
        assertThat(recorded.version()).isEqualTo(ring.version() + 1);
        assertThat(key(next, kid).metadata().destroyAfter())
                .isEqualTo(ROTATION.plus(longer).plus(SKEW).plus(POLICY.jwksMaxAge()));
    }

    @Test
    void recordIssue_equalOrShorterLifetime_returnsTheSameRing() {
        KeyRing ring = rotation.bootstrap(T0);
        String kid = ring.active().kid();

        assertThat(rotation.recordIssue(ring, kid, LIFETIME)).isSameAs(ring);
        assertThat(rotation.recordIssue(ring, kid, Duration.ofMinutes(1))).isSameAs(ring);
    }

    @Test
    void recordIssue_unknownKid_isRefused() {
        KeyRing ring = rotation.bootstrap(T0);

        assertThatThrownBy(() -> rotation.recordIssue(ring, "nope", Duration.ofHours(1)))
                .isInstanceOf(UnknownKeyException.class);
    }

    // --- properties over many rotations

    @Test
    void kids_areNeverReusedAndStatesOnlyMoveForwardAcrossManyRotations() {
        Random steps = new Random(42);
        Map<String, KeyState> lastState = new HashMap<>();
        Instant now = T0;
        KeyRing ring = rotation.bootstrap(now);
        observe(ring, lastState);

        for (int i = 0; i < 400; i++) {
            now = now.plus(Duration.ofHours(1 + steps.nextInt(24 * 12)));
            int action = steps.nextInt(20);
            if (action == 0) {
                ring = rotation.rotateNow(ring, now);
            } else if (action == 1) {
                ring = rotation.revoke(ring, ring.active().kid(), now);
            } else {
                ring = rotation.advance(ring, now);
            }
            observe(ring, lastState);
        }

        Set<String> kids = new HashSet<>();
        ring.keys().forEach(k -> kids.add(k.kid()));
        assertThat(kids).hasSize(generated.get()).hasSize(ring.keys().size()).containsAll(lastState.keySet());
        assertThat(generated.get()).isGreaterThan(20);
    }

    private static void observe(KeyRing ring, Map<String, KeyState> lastState) {
        for (ManagedKey key : ring.keys()) {
            KeyState before = lastState.put(key.kid(), key.state());
            if (before != null && before != key.state()) {
                assertThat(before.canMoveTo(key.state())).as("%s: %s -> %s", key.kid(), before, key.state()).isTrue();
            }
        }
    }

    @Test
    void scheduledRotation_neverSignsWithAKeyPublishedForLessThanPublishAhead_evenAcrossDowntime() {
        Random steps = new Random(7);
        Instant now = T0;
        KeyRing ring = rotation.bootstrap(now);
        String bootstrapKid = ring.active().kid();
        Map<String, Instant> destroyedAt = new HashMap<>();

        for (int i = 0; i < 500; i++) {
            boolean downtime = steps.nextInt(25) == 0;
            now = now.plus(downtime ? PERIOD.multipliedBy(1 + steps.nextInt(4)) : Duration.ofHours(1 + steps.nextInt(48)));
            ring = rotation.advance(ring, now);

            ManagedKey active = ring.active();
            if (!active.kid().equals(bootstrapKid)) {
                assertThat(Duration.between(active.metadata().created(), active.metadata().activates()))
                        .as("publication time of %s", active.kid()).isGreaterThanOrEqualTo(PUBLISH_AHEAD);
            }
            if (!now.isBefore(active.metadata().retires().minus(PUBLISH_AHEAD))) {
                assertThat(ring.pending()).as("successor scheduled at %s", now).isPresent();
            }
            for (ManagedKey key : ring.keys()) {
                if (key.state() == DESTROYED) {
                    destroyedAt.putIfAbsent(key.kid(), now);
                    Instant tokensValidUntil = key.metadata().retires().plus(key.metadata().maxIssuedLifetime())
                            .plus(SKEW);
                    assertThat(destroyedAt.get(key.kid())).isAfter(tokensValidUntil);
                }
            }
        }
        assertThat(destroyedAt).hasSizeGreaterThan(5);
    }

    @Test
    void hmacPolicy_givesEveryKeyAFreshRandomKid() {
        Rotation hmac = new Rotation(
                new RotationPolicy(SigningAlgorithm.HS256, PERIOD, PUBLISH_AHEAD, LIFETIME, SKEW), JDK);

        KeyRing ring = hmac.advance(hmac.bootstrap(T0), PENDING_DUE);

        assertThat(ring.keys()).extracting(ManagedKey::algorithm).containsOnly(SigningAlgorithm.HS256);
        assertThat(ring.keys()).extracting(ManagedKey::kid).allMatch(kid -> kid.startsWith("hs-")).doesNotHaveDuplicates();
    }
}

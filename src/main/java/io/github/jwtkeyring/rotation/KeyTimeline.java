package io.github.jwtkeyring.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * A key ring laid out across time, for operators to look at: each key as a bar of phases (published, signing,
 * verifying after retirement) from its creation to its destruction or revocation, the instant it was drawn at and the
 * next rotation. A value computed from a ring snapshot, the policy and an instant; {@link KeyTimelineSvg} draws it.
 * Only metadata goes in: a timeline can never show key material.
 *
 * @param version the ring's version
 * @param algorithm the algorithm of new keys
 * @param period how long a key signs
 * @param now the instant the timeline shows
 * @param nextRotation when the next key starts signing ({@link #nextRotation(KeyRing)})
 * @param from the start of the time axis
 * @param to the end of the time axis
 * @param bars one bar per key shown, oldest first
 * @param omitted how many older keys are left out, beyond {@link #MAX_KEYS}
 */
public record KeyTimeline(long version, SigningAlgorithm algorithm, Duration period, Instant now,
        Instant nextRotation, Instant from, Instant to, List<Bar> bars, int omitted) {

    /**
     * The most keys a timeline shows: the newest ones. A ring keeps the metadata of every DESTROYED key, so a long-lived
     * ring would otherwise squeeze today's keys into a sliver of a years-long axis.
     */
    public static final int MAX_KEYS = 16;

    /**
     * One key across time.
     *
     * @param kid the key id
     * @param state the key's state now
     * @param phases the phases it went or goes through, in order; empty if it was revoked the instant it was made
     * @param revoked when it was revoked, {@code null} unless REVOKED
     */
    public record Bar(String kid, KeyState state, List<Phase> phases, Instant revoked) {

        public Bar {
            phases = List.copyOf(phases);
        }
    }

    /**
     * A stretch of a key's life in which it behaves as a key in {@code state} does: PENDING (published, not signing),
     * ACTIVE (signing) or RETIRED (verifying only).
     *
     * @param state the phase
     * @param from its start
     * @param to its end, after {@code from}
     */
    public record Phase(KeyState state, Instant from, Instant to) {
    }

    public KeyTimeline {
        Objects.requireNonNull(now, "now");
        bars = List.copyOf(bars);
    }

    /** The timeline of {@code ring} at {@code now}, under {@code policy}. */
    public static KeyTimeline of(KeyRing ring, RotationPolicy policy, Instant now) {
        List<ManagedKey> keys = ring.keys();
        int omitted = Math.max(0, keys.size() - MAX_KEYS);
        List<Bar> bars = new ArrayList<>();
        Instant from = now;
        Instant to = latest(now, nextRotation(ring));
        for (ManagedKey key : keys.subList(omitted, keys.size())) {
            Bar bar = bar(key.metadata(), policy);
            bars.add(bar);
            from = earliest(from, key.metadata().created());
            for (Phase phase : bar.phases()) {
                to = latest(to, phase.to());
            }
        }
        // two periods back is enough history: what came before has long been destroyed
        from = latest(from, now.minus(policy.period().multipliedBy(2)));
        return new KeyTimeline(ring.version(), policy.algorithm(), policy.period(), now, nextRotation(ring), from, to,
                bars, omitted);
    }

    /**
     * When the next key starts signing: the PENDING key's activation time, or without a PENDING key the ACTIVE key's
     * scheduled retirement (where {@link Rotation#advance} and the derived HMAC keys' period boundary put it). It may
     * lie in the past when the schedule is overdue.
     */
    public static Instant nextRotation(KeyRing ring) {
        return ring.pending().map(k -> k.metadata().activates()).orElse(ring.active().metadata().retires());
    }

    /**
     * The phases of a key. Instants still to come are the schedule: a key that has not retired yet is expected to
     * verify for the retire window of the longest token it signed so far. A revoked key's phases end when it was
     * revoked.
     */
    private static Bar bar(KeyMetadata m, RotationPolicy policy) {
        Instant destroyAfter = m.destroyAfter() != null ? m.destroyAfter()
                : m.retires().plus(policy.retireWindow(m.maxIssuedLifetime()));
        Instant end = m.revoked() != null ? earliest(m.revoked(), destroyAfter) : destroyAfter;
        List<Phase> phases = new ArrayList<>();
        addPhase(phases, KeyState.PENDING, m.created(), m.activates(), end);
        addPhase(phases, KeyState.ACTIVE, m.activates(), m.retires(), end);
        addPhase(phases, KeyState.RETIRED, m.retires(), destroyAfter, end);
        return new Bar(m.kid(), m.state(), phases, m.revoked());
    }

    private static void addPhase(List<Phase> phases, KeyState state, Instant from, Instant to, Instant end) {
        Instant until = earliest(to, end);
        if (until.isAfter(from)) {
            phases.add(new Phase(state, from, until));
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}

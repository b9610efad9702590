package io.github.jwtkeyring.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.jwtkeyring.keys.KeyMetadata;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyState;
import io.github.jwtkeyring.keys.ManagedKey;

/**
 * What a ring means for operators at one instant: how many keys are in each state, when the next key signs and the
 * next RETIRED key is destroyed, how old the ACTIVE key is, and which rotation risks it carries. A value computed from
 * a ring snapshot, the policy and an instant; health checks, metrics and the timeline read it.
 *
 * @param keysByState the number of keys in each state (every state present, zero included)
 * @param nextActivation when the PENDING key signs, if there is one
 * @param activeSince when the ACTIVE key began signing
 * @param nextDestruction the earliest destroy-after time of a RETIRED key, if there is one
 * @param risks the rotation risks, in a fixed order; empty when rotation is safe
 */
public record RingOutlook(Map<KeyState, Integer> keysByState, Optional<Instant> nextActivation, Instant activeSince,
        Optional<Instant> nextDestruction, List<Risk> risks) {

    /** A way in which rotation may break verification, seen before it does. */
    public enum Risk {
        /**
         * A key signs, or is scheduled to sign, less than the minimum publication time (one JWKS {@code max-age}, and
         * the propagation time between nodes) after it was published: a verifier holding a cached JWKS may meet its
         * kid before it has fetched it. Follows a forced rotation; it ends by itself once the key has been published
         * long enough.
         */
        PUBLICATION_LATE("publication-late"),
        /**
         * A PENDING key is past its activation time (or there is none), so the schedule is not being applied: the
         * rotation check is not running, or cannot store the ring.
         */
        ROTATION_OVERDUE("rotation-overdue"),
        /**
         * A RETIRED key is past its destroy-after time: it still verifies tokens that should no longer be accepted, for
         * the same reasons.
         */
        DESTRUCTION_OVERDUE("destruction-overdue");

        private final String label;

        Risk(String label) {
            this.label = label;
        }

        /** The name in health data, metrics and the README. */
        public String label() {
            return label;
        }
    }

    public RingOutlook {
        keysByState = Collections.unmodifiableMap(new EnumMap<>(keysByState));
        risks = List.copyOf(risks);
    }

    /**
     * The outlook of {@code ring} at {@code now}.
     *
     * @param grace how long a scheduled transition may lag before it counts as overdue: the rotation check interval
     *        plus a margin
     */
    public static RingOutlook of(KeyRing ring, RotationPolicy policy, Instant now, Duration grace) {
        Map<KeyState, Integer> counts = new EnumMap<>(KeyState.class);
        for (KeyState state : KeyState.values()) {
            counts.put(state, 0);
        }
        Instant nextDestruction = null;
        List<Risk> risks = new ArrayList<>();
        for (ManagedKey key : ring.keys()) {
            counts.merge(key.state(), 1, Integer::sum);
            KeyMetadata m = key.metadata();
            if (key.state() == KeyState.RETIRED) {
                nextDestruction = nextDestruction == null || m.destroyAfter().isBefore(nextDestruction)
                        ? m.destroyAfter()
                        : nextDestruction;
                addOnce(risks, Risk.DESTRUCTION_OVERDUE, m.destroyAfter().plus(grace).isBefore(now));
            }
            if (key.state() == KeyState.ACTIVE || key.state() == KeyState.PENDING) {
                Instant publishedEnough = m.created().plus(policy.minimumPublication());
                addOnce(risks, Risk.PUBLICATION_LATE, m.activates().isBefore(publishedEnough)
                        && now.isBefore(publishedEnough) && hasPredecessor(ring, key));
            }
        }
        Optional<Instant> nextActivation = ring.pending().map(k -> k.metadata().activates());
        addOnce(risks, Risk.ROTATION_OVERDUE, nextActivation.map(at -> at.plus(grace).isBefore(now)).orElse(true));
        risks.sort(null);
        return new RingOutlook(counts, nextActivation, ring.active().metadata().activates(),
                Optional.ofNullable(nextDestruction), risks);
    }

    /** This outlook without risks: for a ring whose keys follow the clock and are never published. */
    public RingOutlook withoutRisks() {
        return new RingOutlook(keysByState, nextActivation, activeSince, nextDestruction, List.of());
    }

    /**
     * Whether another key signed before {@code key} (or, for the PENDING key, signs now): a ring's very first key signs
     * at once, and no verifier can hold a JWKS from before it.
     */
    private static boolean hasPredecessor(KeyRing ring, ManagedKey key) {
        return ring.keys().stream().anyMatch(k -> k != key && k.state() != KeyState.PENDING);
    }

    private static void addOnce(List<Risk> risks, Risk risk, boolean present) {
        if (present && !risks.contains(risk)) {
            risks.add(risk);
        }
    }
}

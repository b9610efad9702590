package io.github.jwtkeyring.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything about a key except its material: safe to log, list and return to administrators.
 *
 * @param kid the key id, unique and never reused
 * @param algorithm the one algorithm the key signs and verifies with
 * @param state where the key is in its lifecycle
 * @param created when the key was generated
 * @param activates when the key starts (or started) signing
 * @param retires when the key stops (or stopped) signing
 * @param destroyAfter when a RETIRED key's retire window ends, {@code null} before the key retires
 * @param revoked when the key was revoked, {@code null} unless REVOKED
 * @param maxIssuedLifetime the longest lifetime of any token signed with this key
 */
public record KeyMetadata(String kid, SigningAlgorithm algorithm, KeyState state, Instant created, Instant activates,
        Instant retires, Instant destroyAfter, Instant revoked, Duration maxIssuedLifetime) {

    public KeyMetadata {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(activates, "activates");
        Objects.requireNonNull(retires, "retires");
        Objects.requireNonNull(maxIssuedLifetime, "maxIssuedLifetime");
        if (kid.isBlank()) {
            throw new KeyringException("A key id must not be blank.");
        }
    }

    /**
     * This metadata in state {@code target}.
     *
     * @throws IllegalKeyTransitionException if the lifecycle does not allow the move
     */
    public KeyMetadata moveTo(KeyState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalKeyTransitionException(kid, state, target);
        }
        return new KeyMetadata(kid, algorithm, target, created, activates, retires, destroyAfter, revoked,
                maxIssuedLifetime);
    }

    /** A copy with new activation and retirement instants. */
    public KeyMetadata withSchedule(Instant newActivates, Instant newRetires) {
        return new KeyMetadata(kid, algorithm, state, created, newActivates, newRetires, destroyAfter, revoked,
                maxIssuedLifetime);
    }

    /** A copy with the end of its retire window set. */
    public KeyMetadata withDestroyAfter(Instant instant) {
        return new KeyMetadata(kid, algorithm, state, created, activates, retires, instant, revoked,
                maxIssuedLifetime);
    }

    /** A copy marked as revoked at {@code instant}. */
    public KeyMetadata withRevoked(Instant instant) {
        return new KeyMetadata(kid, algorithm, state, created, activates, retires, destroyAfter, instant,
                maxIssuedLifetime);
    }

    /** A copy whose longest issued lifetime is at least {@code lifetime}. */
    public KeyMetadata withIssuedLifetime(Duration lifetime) {
        Duration longest = lifetime.compareTo(maxIssuedLifetime) > 0 ? lifetime : maxIssuedLifetime;
        return new KeyMetadata(kid, algorithm, state, created, activates, retires, destroyAfter, revoked, longest);
    }
}

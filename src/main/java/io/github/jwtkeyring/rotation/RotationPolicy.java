package io.github.jwtkeyring.rotation;

import java.time.Duration;
import java.util.Objects;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.SigningAlgorithm;

/**
 * How keys rotate.
 *
 * @param algorithm the algorithm of newly created keys
 * @param period how long a key signs
 * @param publishAhead how long the next key is published in the JWKS before it signs
 * @param tokenLifetime the default lifetime of access tokens
 * @param clockSkew the clock difference tolerated between issuer and verifiers
 * @param propagation how long a new key takes at most to reach every node sharing the ring (zero for one node); a
 *        key signs only once it has been known that long
 */
public record RotationPolicy(SigningAlgorithm algorithm, Duration period, Duration publishAhead,
        Duration tokenLifetime, Duration clockSkew, Duration propagation) {

    /** The policy of a ring that one node holds alone. */
    public RotationPolicy(SigningAlgorithm algorithm, Duration period, Duration publishAhead, Duration tokenLifetime,
            Duration clockSkew) {
        this(algorithm, period, publishAhead, tokenLifetime, clockSkew, Duration.ZERO);
    }

    public RotationPolicy {
        Objects.requireNonNull(algorithm, "algorithm");
        positive("The rotation period", period);
        positive("The publish-ahead time", publishAhead);
        positive("The token lifetime", tokenLifetime);
        if (clockSkew == null || clockSkew.isNegative()) {
            throw new KeyringException("The clock skew must not be negative; it is " + clockSkew + ".");
        }
        if (propagation == null || propagation.isNegative()) {
            throw new KeyringException("The propagation time must not be negative; it is " + propagation + ".");
        }
        if (propagation.compareTo(publishAhead) >= 0) {
            throw new KeyringException("The publish-ahead time (" + publishAhead + ") must be longer than the "
                    + "propagation time (" + propagation + "), or a node could sign with a key that another node has "
                    + "not loaded yet.");
        }
        if (publishAhead.compareTo(period) >= 0) {
            throw new KeyringException("The publish-ahead time (" + publishAhead
                    + ") must be shorter than the rotation period (" + period + ").");
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new KeyringException(name + " must be a positive duration; it is " + value + ".");
        }
    }

    /**
     * The {@code max-age} of the JWKS: half the publish-ahead time, so that a verifier that cached the JWKS just before a
     * new key was published fetches it again well before the key signs.
     */
    public Duration jwksMaxAge() {
        return Duration.ofSeconds(publishAhead.toSeconds() / 2);
    }

    /**
     * How long a key must have been published before it may sign: the JWKS {@code max-age} (a verifier that cached
     * the set just before the key appeared has fetched it again by then), and at least the propagation time (every
     * node sharing the ring has loaded it).
     */
    public Duration minimumPublication() {
        return jwksMaxAge().compareTo(propagation) >= 0 ? jwksMaxAge() : propagation;
    }

    /**
     * How long a RETIRED key keeps verifying: the longest lifetime of any token it signed, plus the clock skew, plus the
     * JWKS cache age (a verifier may hold the key that long after it leaves the set).
     */
    public Duration retireWindow(Duration longestIssuedLifetime) {
        return longestIssuedLifetime.plus(clockSkew).plus(jwksMaxAge());
    }
}

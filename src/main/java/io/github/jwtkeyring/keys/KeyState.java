package io.github.jwtkeyring.keys;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a signing key.
 *
 * <pre>
 * PENDING ──► ACTIVE ──► RETIRED ──► DESTROYED
 *    │          │           │
 *    └──────────┴───────────┴──► REVOKED
 * </pre>
 */
public enum KeyState {
    /** Published in the JWKS so that verifiers learn it ahead of time; does not sign yet. */
    PENDING,
    /** Signs new tokens. Exactly one key of a ring is ACTIVE. */
    ACTIVE,
    /** No longer signs; verifies until every token it signed has expired. */
    RETIRED,
    /** Retire window over: material erased, nothing verifies with it. Terminal. */
    DESTROYED,
    /** Compromised: material erased, its tokens are rejected at once. Terminal. */
    REVOKED;

    private Set<KeyState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(ACTIVE, REVOKED);
            case ACTIVE -> EnumSet.of(RETIRED, REVOKED);
            case RETIRED -> EnumSet.of(DESTROYED, REVOKED);
            case DESTROYED, REVOKED -> EnumSet.noneOf(KeyState.class);
        };
    }

    /** Whether the lifecycle allows moving from this state to {@code target}. */
    public boolean canMoveTo(KeyState target) {
        return next().contains(target);
    }

    /** Whether tokens signed by a key in this state are accepted (and its public part is in the JWKS). */
    public boolean verifies() {
        return this == PENDING || this == ACTIVE || this == RETIRED;
    }

    /** Whether a key in this state still holds material. */
    public boolean holdsMaterial() {
        return verifies();
    }
}

package io.github.jwtkeyring.rotation;

import io.github.jwtkeyring.keys.KeyRing;

/**
 * Told of every ring a {@link KeyRingManager} swaps in, with what caused it: the audit trail and metrics listen. Called
 * on the thread that made the change, after the ring is stored and swapped in; a listener must be quick and must not
 * throw (a failure is logged and the change stands).
 */
@FunctionalInterface
public interface RingListener {

    /** Listens to nothing. */
    RingListener NONE = (before, after, cause) -> {
    };

    /**
     * @param before the ring held until now, or {@code null} when the ring is first loaded
     * @param after the ring held from now on
     * @param cause what changed it
     */
    void changed(KeyRing before, KeyRing after, Cause cause);

    /** What moved the ring. */
    enum Cause {
        /** Loaded at startup, with what was due then applied. */
        STARTUP,
        /** A transition that the schedule made due. */
        SCHEDULE,
        /** A rotation or revocation asked for by code: an administrator's request or the application itself. */
        COMMAND,
        /** Another node stored the change; this node took it in. */
        CLUSTER
    }
}

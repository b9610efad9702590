package io.github.jwtkeyring.keys;

import java.time.Duration;

/**
 * Read access to the current ring for issuers and verifiers.
 */
public interface KeyRingAccess {

    /** The current snapshot; an in-memory read that never blocks. */
    KeyRing current();

    /**
     * The ACTIVE key, after making sure the ring records that it signed a token of {@code lifetime}, so that its
     * retire window covers that token. Writes to the store only when the lifetime is longer than any before.
     */
    ManagedKey signingKey(Duration lifetime);
}

package io.github.jwtkeyring.rotation;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.KeyRingAccess;

/**
 * Owns the ring of a running application: loads it at startup, moves it along its schedule, and carries out the
 * administrator's rotate and revoke commands. {@link StoredKeyRingManager} keeps random keys in a store;
 * {@link DerivedHmacKeyRingManager} derives one HMAC key per period from a master secret.
 */
public interface KeyRingManager extends KeyRingAccess {

    /**
     * Loads the ring and applies what is due. Called once, at startup.
     *
     * @throws io.github.jwtkeyring.keys.KeyringException if the ring cannot be loaded; the application must not start
     */
    KeyRing start();

    /**
     * Whether {@link #start()} has loaded the ring. Scheduled work starts with the application, possibly while the
     * ring is still loading, and has nothing to do before.
     */
    default boolean loaded() {
        return true;
    }

    /** Applies the scheduled transitions due now and returns the ring after them. */
    KeyRing tick();

    /**
     * Rotates now: the next key signs, the ACTIVE key retires.
     *
     * @throws io.github.jwtkeyring.keys.UnsupportedKeyOperationException if keys rotate on their own schedule only
     */
    KeyRing rotateNow();

    /**
     * Rotates the key {@code kid} if it is still ACTIVE, and does nothing if it is not: another node or request has
     * rotated it already, and that rotation stands. The successor signs at once only if it has been published long
     * enough ({@link Rotation#rotateNow(KeyRing, java.time.Instant, boolean)}); otherwise it is scheduled, and the
     * returned ring still has {@code kid} ACTIVE.
     *
     * @throws io.github.jwtkeyring.keys.UnsupportedKeyOperationException if keys rotate on their own schedule only
     */
    default KeyRing rotate(String kid) {
        return rotate(kid, false);
    }

    /**
     * {@link #rotate(String)}, with {@code force} activating the successor at once even if it was published too
     * briefly for every verifier's cached JWKS to hold it.
     *
     * @throws io.github.jwtkeyring.keys.UnsupportedKeyOperationException if keys rotate on their own schedule only
     */
    default KeyRing rotate(String kid, boolean force) {
        return rotateNow();
    }

    /**
     * Revokes the key {@code kid} at once.
     *
     * @throws io.github.jwtkeyring.keys.UnknownKeyException if the ring has no such key
     * @throws io.github.jwtkeyring.keys.UnsupportedKeyOperationException if keys cannot be revoked one by one
     */
    KeyRing revoke(String kid);

    /**
     * Takes in a newer ring stored by another node, if there is one, and returns the current ring.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the store cannot be read; the ring held stays in use
     */
    default KeyRing reload() {
        return current();
    }

    /** The policy in force. */
    RotationPolicy policy();
}

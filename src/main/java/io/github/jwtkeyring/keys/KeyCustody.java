package io.github.jwtkeyring.keys;

import java.security.Provider;
import java.util.Set;

/**
 * A device that holds the secret part of keys and never lets it out (a PKCS#11 token or HSM): new keys are generated
 * on it, it signs with them, and it destroys them. Stores keep only what may be public (metadata, public keys) and
 * the custody's {@link #name()}; each key is found again by its kid, which is its label on the device
 * ({@link KeyMaterial#held}, then {@link #handle} on first use).
 * <p>
 * Implementations are safe for concurrent use and are called from worker threads, never on the event loop.
 */
public interface KeyCustody {

    /** The name stores record for keys held here, e.g. {@code pkcs11}. */
    String name();

    /** The JCA provider that operates the keys held here; always passed explicitly, never registered. */
    Provider provider();

    /**
     * Generates a key for {@code algorithm} on the device and labels it with its kid ({@link KeyMaterial#custodyLabel()}).
     *
     * @throws KeyringException if the device cannot generate it (the message names the fix)
     */
    KeyMaterial generate(SigningAlgorithm algorithm);

    /**
     * The key {@code kid} on the device now: a handle its {@link #provider()} operates.
     *
     * @param publicKey the X.509 encoding of the recorded public key, {@code null} for HMAC keys; a key on the device
     *        whose public key differs is refused
     * @throws StoreException if the device does not hold it, or holds a different key under that kid
     * @throws KeyringException if the device cannot be reached
     */
    java.security.Key handle(String kid, SigningAlgorithm algorithm, byte[] publicKey);

    /**
     * How many times the custody has reconnected: handles found in an earlier epoch are not used again.
     */
    long epoch();

    /**
     * Why reconnecting cannot help (the PIN was refused, the library was reloaded too often), or empty while it can.
     */
    default java.util.Optional<String> unrecoverable() {
        return java.util.Optional.empty();
    }

    /**
     * Destroys the key {@code kid} on the device ({@code C_DestroyObject}); nothing happens if there is none.
     *
     * @throws KeyringException if the device cannot be reached
     */
    void destroy(String kid);

    /**
     * The kids of every key the device holds for this module (other objects on the device are not listed), read from
     * the device now.
     *
     * @throws KeyringException if the device cannot be reached
     */
    Set<String> kids();

    /**
     * Connects to the device again after it was unreachable or its session broke, and forgets every key handle found
     * so far: material found before no longer signs, so the ring's material is read again with {@link #find}.
     *
     * @param reloadLibrary also load the device's library afresh, for libraries that see a device again only after a
     *        new initialisation
     * @throws KeyringException if the device still cannot be reached
     */
    void reconnect(boolean reloadLibrary);

    /** Where the keys are, for logs and health checks (library and slot); never a PIN. */
    String describe();
}

package io.github.jwtkeyring.store;

import java.util.Optional;

import io.github.jwtkeyring.keys.KeyRing;

/**
 * Where a key ring lives between restarts.
 * <p>
 * Implementations are called from worker threads only, never on the request path.
 */
public interface KeyRingStore {

    /**
     * The stored ring, or empty if nothing has been stored yet.
     *
     * @throws StoreException if something is stored but cannot be read; the stored data is left untouched
     */
    Optional<KeyRing> load();

    /**
     * Replaces the stored ring with {@code ring}, atomically: after a crash, the store holds either the old ring or the
     * new one, never a mix.
     *
     * @throws StoreException if the ring could not be stored; the old ring is then still stored
     */
    void save(KeyRing ring);

    /** A short description for logs, e.g. the file path; never a secret. */
    String describe();
}

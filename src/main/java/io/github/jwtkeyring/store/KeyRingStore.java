package io.github.jwtkeyring.store;

import java.util.Optional;
import java.util.function.Function;

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

    /**
     * Applies {@code change} to the newest stored ring and stores the result, as one step that no other writer
     * interleaves with; stores shared by several nodes lock, and start from their newest ring when another node has
     * changed it since {@code known}.
     *
     * @param known the ring this process holds, or {@code null} before the first load
     * @param change the change; gets the newest ring (empty if none is stored) and returns it unchanged (the same
     *        instance) or a successor
     * @return the ring stored now
     * @throws StoreException if the store could not be read or written; nothing was stored then
     */
    default KeyRing update(KeyRing known, Function<Optional<KeyRing>, KeyRing> change) {
        Optional<KeyRing> base = known != null ? Optional.of(known) : load();
        KeyRing after = change.apply(base);
        if (base.isEmpty() || after != base.get()) {
            save(after);
        }
        return after;
    }

    /** A short description for logs, e.g. the file path; never a secret. */
    String describe();
}

package io.github.jwtkeyring.store.memory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.store.KeyRingStore;

/**
 * Keeps the ring in memory: everything is lost when the process ends.
 */
public final class MemoryKeyRingStore implements KeyRingStore {

    private final AtomicReference<KeyRing> ring = new AtomicReference<>();

    @Override
    public Optional<KeyRing> load() {
        return Optional.ofNullable(ring.get());
    }

    @Override
    public void save(KeyRing newRing) {
        ring.set(newRing);
    }

    @Override
    public String describe() {
        return "memory (not persistent)";
    }
}

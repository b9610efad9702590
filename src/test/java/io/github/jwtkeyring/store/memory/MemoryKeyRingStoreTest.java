package io.github.jwtkeyring.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.KeyRingStoreContract;

class MemoryKeyRingStoreTest extends KeyRingStoreContract {

    private MemoryKeyRingStore memory;

    @Override
    protected KeyRingStore newStore() {
        memory = new MemoryKeyRingStore();
        return memory;
    }

    @Override
    protected KeyRingStore reopen() {
        return memory;
    }

    @Test
    void describe_saysTheRingIsNotPersistent() {
        assertThat(store.describe()).contains("not persistent");
    }

    @Test
    void newInstance_sharesNothingWithAnother() {
        KeyRing ring = rotation(SigningAlgorithm.ES256).bootstrap(T0);
        store.save(ring);

        assertThat(new MemoryKeyRingStore().load()).isEmpty();
    }
}

package io.github.jwtkeyring.runtime.storage.memory;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.runtime.config.ConfigProblems;
import io.github.jwtkeyring.runtime.storage.StorageProvider;
import io.github.jwtkeyring.store.Storage;
import io.github.jwtkeyring.store.memory.MemoryStorage;

/**
 * {@code keyring.store.type=memory}: nothing survives the process. The default of the test profile.
 */
@ApplicationScoped
public class MemoryStorageProvider implements StorageProvider {

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public void check(ConfigProblems problems) {
        // nothing to configure
    }

    @Override
    public Storage open(Optional<KeyCustody> custody) {
        return new MemoryStorage();
    }
}

package io.github.jwtkeyring.store.jdbc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.jwtkeyring.keys.StoreException;

/**
 * The configured KEKs: the current one, which wraps everything written, and previous ones, which only unwrap material
 * that has not been re-wrapped under the current KEK yet.
 */
public final class KeyEncryptionKeys {

    private final KeyEncryptionKey current;
    private final Map<String, KeyEncryptionKey> byId = new LinkedHashMap<>();

    public KeyEncryptionKeys(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {
        this.current = Objects.requireNonNull(current, "current");
        byId.put(current.id(), current);
        previous.forEach(kek -> byId.putIfAbsent(kek.id(), kek));
    }

    /** The KEK that wraps new material. */
    public KeyEncryptionKey current() {
        return current;
    }

    /**
     * The KEK with id {@code id}.
     *
     * @throws StoreException naming the id if no configured KEK has it
     */
    public KeyEncryptionKey require(String id, String kid) {
        KeyEncryptionKey kek = byId.get(id);
        if (kek == null) {
            throw new StoreException("Key '" + kid + "' is encrypted under the key-encryption key " + id + ", which "
                    + "is not configured: the configured KEKs are " + byId.keySet()
                    + ". Set keyring.store.jdbc.kek to the right "
                    + "KEK, or list the old one in keyring.store.jdbc.kek-previous while the material is re-wrapped.");
        }
        return kek;
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys" + byId.keySet();
    }
}

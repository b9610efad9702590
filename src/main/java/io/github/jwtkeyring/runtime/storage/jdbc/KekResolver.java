package io.github.jwtkeyring.runtime.storage.jdbc;

import java.util.ArrayList;
import java.util.List;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.runtime.config.Base64Settings;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKey;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKeys;
import io.github.jwtkeyring.store.pkcs12.Pkcs12SecretEntry;

/**
 * Finds the key-encryption keys of the {@code jdbc} store: {@code keyring.store.jdbc.kek} and {@code .kek-previous},
 * or entries of the PKCS#12 keystore {@code keyring.store.jdbc.kek-keystore.path}.
 */
final class KekResolver {

    private static final String KEK = "keyring.store.jdbc.kek";

    private KekResolver() {
    }

    /**
     * @throws KeyringException naming the setting (never the value) if a KEK is missing or malformed
     */
    static KeyEncryptionKeys resolve(JdbcStoreConfig config) {
        if (config.kek().isPresent()) {
            List<KeyEncryptionKey> previous = new ArrayList<>();
            for (String value : config.kekPrevious().orElse(List.of())) {
                previous.add(new KeyEncryptionKey(Base64Settings.decode(value, KEK + "-previous"), KEK + "-previous"));
            }
            return new KeyEncryptionKeys(new KeyEncryptionKey(Base64Settings.decode(config.kek().get(), KEK), KEK),
                    previous);
        }
        if (config.kekKeystore().path().isPresent()) {
            return fromKeystore(config.kekKeystore());
        }
        throw new KeyringException("keyring.store.type=jdbc needs a key-encryption key: set " + KEK + " (environment "
                + "variable KEYRING_STORE_JDBC_KEK) to the base64 of 32 random bytes ('openssl rand -base64 32'), or "
                + KEK + "-keystore.path to a PKCS#12 file holding one.");
    }

    private static KeyEncryptionKeys fromKeystore(JdbcStoreConfig.KekKeystore keystore) {
        char[] password = keystore.password().orElseThrow(() -> new KeyringException(KEK + "-keystore.password is not "
                + "set (environment variable KEYRING_STORE_JDBC_KEK_KEYSTORE_PASSWORD).")).toCharArray();
        try {
            KeyEncryptionKey current = entry(keystore, password, keystore.alias());
            List<KeyEncryptionKey> previous = new ArrayList<>();
            for (String alias : keystore.previousAliases().orElse(List.of())) {
                previous.add(entry(keystore, password, alias));
            }
            return new KeyEncryptionKeys(current, previous);
        } catch (KeyringException e) {
            throw new KeyringException("The key-encryption key cannot be read: " + e.getMessage(), e);
        }
    }

    private static KeyEncryptionKey entry(JdbcStoreConfig.KekKeystore keystore, char[] password, String alias) {
        return new KeyEncryptionKey(Pkcs12SecretEntry.read(keystore.path().get(), password, alias),
                "the entry '" + alias + "' of " + keystore.path().get().toAbsolutePath());
    }
}

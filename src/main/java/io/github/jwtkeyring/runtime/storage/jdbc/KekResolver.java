package io.github.jwtkeyring.runtime.storage.jdbc;

import java.util.ArrayList;
import java.util.List;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.runtime.config.Base64Settings;
import io.github.jwtkeyring.runtime.config.KeyringConfig;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKey;
import io.github.jwtkeyring.store.jdbc.KeyEncryptionKeys;
import io.github.jwtkeyring.store.pkcs12.Pkcs12SecretEntry;

/**
 * Finds the key-encryption keys of the {@code jdbc} store: {@code keyring.kek} and {@code keyring.kek-previous}, or
 * entries of the PKCS#12 keystore {@code keyring.kek-keystore.path}. A missing or malformed KEK stops startup.
 */
final class KekResolver {

    private KekResolver() {
    }

    static KeyEncryptionKeys resolve(KeyringConfig config) {
        if (config.kek().isPresent()) {
            List<KeyEncryptionKey> previous = new ArrayList<>();
            for (String value : config.kekPrevious().orElse(List.of())) {
                previous.add(
                        new KeyEncryptionKey(Base64Settings.decode(value, "keyring.kek-previous"), "keyring.kek-previous"));
            }
            return new KeyEncryptionKeys(new KeyEncryptionKey(Base64Settings.decode(config.kek().get(), "keyring.kek"),
                    "keyring.kek"), previous);
        }
        if (config.kekKeystore().path().isPresent()) {
            return fromKeystore(config.kekKeystore());
        }
        throw new KeyringException("keyring.store.type=jdbc needs a key-encryption key: set keyring.kek (environment "
                + "variable KEYRING_KEK) to the base64 of 32 random bytes ('openssl rand -base64 32'), or "
                + "keyring.kek-keystore.path to a PKCS#12 file holding one.");
    }

    private static KeyEncryptionKeys fromKeystore(KeyringConfig.KekKeystore keystore) {
        char[] password = keystore.password().orElseThrow(() -> new KeyringException(
                "keyring.kek-keystore.password is not set (environment variable KEYRING_KEK_KEYSTORE_PASSWORD)."))
                .toCharArray();
        try {
            KeyEncryptionKey current = entry(keystore, password, keystore.alias());
            List<KeyEncryptionKey> previous = new ArrayList<>();
            for (String alias : keystore.previousAliases().orElse(List.of())) {
                previous.add(entry(keystore, password, alias));
            }
            return new KeyEncryptionKeys(current, previous);
        } catch (StoreException e) {
            throw new KeyringException("The key-encryption key cannot be read: " + e.getMessage(), e);
        }
    }

    private static KeyEncryptionKey entry(KeyringConfig.KekKeystore keystore, char[] password, String alias) {
        return new KeyEncryptionKey(Pkcs12SecretEntry.read(keystore.path().get(), password, alias),
                "the entry '" + alias + "' of " + keystore.path().get().toAbsolutePath());
    }
}

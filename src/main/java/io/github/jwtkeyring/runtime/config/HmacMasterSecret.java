package io.github.jwtkeyring.runtime.config;

import java.util.Arrays;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.runtime.storage.pkcs12.StorePasswords;
import io.github.jwtkeyring.store.pkcs12.Pkcs12SecretEntry;
import io.quarkus.runtime.LaunchMode;

/**
 * Finds the master secret of derived HMAC keys: {@code keyring.hmac.master-secret}, or an entry of the PKCS#12
 * keystore. A missing or short master stops startup with a message that says how to provide one.
 */
public final class HmacMasterSecret {

    private HmacMasterSecret() {
    }

    public static byte[] resolve(KeyringConfig config, LaunchMode mode) {
        boolean configured = config.hmac().masterSecret().isPresent();
        byte[] master = configured ? Base64Settings.decode(config.hmac().masterSecret().get(), "keyring.hmac.master-secret")
                : fromKeystore(config, mode);
        if (master.length < DerivedHmacKeyRingManager.MIN_MASTER_BYTES) {
            int length = master.length;
            Arrays.fill(master, (byte) 0);
            String source = configured
                    ? "keyring.hmac.master-secret (environment variable KEYRING_HMAC_MASTER_SECRET)"
                    : "the entry '" + config.hmac().masterAlias() + "' of the keystore "
                            + config.store().path().toAbsolutePath();
            throw new KeyringException("The derived-HMAC master secret from " + source + " has " + length
                    + " bytes; at least " + DerivedHmacKeyRingManager.MIN_MASTER_BYTES + " random bytes are needed "
                    + "(e.g. 'openssl rand -base64 32').");
        }
        return master;
    }

    private static byte[] fromKeystore(KeyringConfig config, LaunchMode mode) {
        if (config.store().type() != KeyringConfig.StoreType.PKCS12) {
            throw new KeyringException("keyring.hmac.mode=derived needs a master secret: set "
                    + "keyring.hmac.master-secret (environment variable KEYRING_HMAC_MASTER_SECRET) to the base64 of "
                    + "at least 32 random bytes.");
        }
        try {
            return Pkcs12SecretEntry.read(config.store().path(), StorePasswords.resolve(config.store(), mode),
                    config.hmac().masterAlias());
        } catch (StoreException e) {
            throw new KeyringException("keyring.hmac.mode=derived needs a master secret: set "
                    + "keyring.hmac.master-secret (environment variable KEYRING_HMAC_MASTER_SECRET), or store one "
                    + "in the keystore under the alias '" + config.hmac().masterAlias() + "'. " + e.getMessage(), e);
        }
    }
}

package io.github.jwtkeyring.runtime.config;

import java.util.Arrays;
import java.util.Optional;

import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.rotation.DerivedHmacKeyRingManager;
import io.github.jwtkeyring.store.Storage;

/**
 * The master secret of derived HMAC keys: {@code keyring.hmac.master-secret}, or the secret the storage holds under
 * {@code keyring.hmac.master-alias} (an entry of the PKCS#12 keystore). A missing or short master stops startup with a
 * message that says how to provide one.
 */
public final class DerivedHmacMaster {

    private DerivedHmacMaster() {
    }

    /** The master; the caller erases it once the keys are derived. */
    public static byte[] resolve(KeyringConfig config, Storage storage) {
        Optional<String> configured = config.hmac().masterSecret();
        if (configured.isPresent()) {
            // checked by KeyringSettings already
            return Base64Settings.decode(configured.get(), "keyring.hmac.master-secret");
        }
        String alias = config.hmac().masterAlias();
        Optional<byte[]> stored;
        try {
            stored = storage.secret(alias);
        } catch (KeyringException e) {
            throw new KeyringException("keyring.hmac.mode=derived needs a master secret: set keyring.hmac.master-secret "
                    + "(environment variable KEYRING_HMAC_MASTER_SECRET), or store one in the keystore under the alias '"
                    + alias + "'. " + e.getMessage(), e);
        }
        byte[] master = stored.orElseThrow(() -> new KeyringException("keyring.hmac.mode=derived needs a master "
                + "secret: set keyring.hmac.master-secret (environment variable KEYRING_HMAC_MASTER_SECRET) to the base64 "
                + "of at least 32 random bytes."));
        if (master.length < DerivedHmacKeyRingManager.MIN_MASTER_BYTES) {
            int length = master.length;
            Arrays.fill(master, (byte) 0);
            throw new KeyringException("The derived-HMAC master secret from the entry '" + alias + "' of "
                    + storage.describe() + " has " + length + " bytes; at least "
                    + DerivedHmacKeyRingManager.MIN_MASTER_BYTES + " random bytes are needed (e.g. 'openssl rand "
                    + "-base64 32').");
        }
        return master;
    }
}

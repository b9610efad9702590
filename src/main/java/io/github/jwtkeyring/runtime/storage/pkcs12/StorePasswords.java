package io.github.jwtkeyring.runtime.storage.pkcs12;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyringException;
import io.quarkus.runtime.LaunchMode;

/**
 * Finds the PKCS#12 password: the configured one, or in dev and test mode a generated one kept beside the keystore.
 */
final class StorePasswords {

    private static final Logger LOG = Logger.getLogger(StorePasswords.class);

    private StorePasswords() {
    }

    /**
     * The configured password, or in dev and test mode the generated one kept beside the keystore (created on first
     * use); {@code null} in production without a configured password.
     */
    static char[] resolve(Pkcs12StoreConfig store, LaunchMode mode) {
        if (store.password().isPresent()) {
            return store.password().get().toCharArray();
        }
        if (!mode.isDevOrTest()) {
            return null;
        }
        return devPassword(store.path().toAbsolutePath().resolveSibling(store.path().getFileName() + ".dev-password"));
    }

    private static char[] devPassword(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim().toCharArray();
        } catch (NoSuchFileException e) {
            return createDevPassword(file);
        } catch (IOException e) {
            throw new KeyringException("The dev-mode key store password file " + file + " cannot be read.", e);
        }
    }

    private static char[] createDevPassword(Path file) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, password, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new KeyringException("The dev-mode key store password file " + file + " cannot be written.", e);
        }
        LOG.warnf("keyring.store.pkcs12.password is not set: dev/test mode generated one in %s. "
                + "Production needs KEYRING_STORE_PKCS12_PASSWORD.", file);
        return password.toCharArray();
    }
}

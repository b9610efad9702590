package io.github.jwtkeyring.store.pkcs12;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import io.github.jwtkeyring.keys.StoreException;

/**
 * Reads one secret-key entry from a PKCS#12 file, such as a master secret created with
 * {@code keytool -genseckey -keyalg HmacSHA256 -keysize 256 -storetype PKCS12}.
 */
public final class Pkcs12SecretEntry {

    private Pkcs12SecretEntry() {
    }

    /**
     * The encoded bytes of the secret entry {@code alias}.
     *
     * @throws StoreException if the file, or a secret entry of that name, is missing or cannot be read
     */
    public static byte[] read(Path file, char[] password, String alias) {
        KeyStore keyStore;
        try (InputStream in = Files.newInputStream(file)) {
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
        } catch (NoSuchFileException e) {
            throw new StoreException("The PKCS#12 file " + file.toAbsolutePath() + " that should hold the secret '"
                    + alias + "' does not exist.", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException("The PKCS#12 file " + file.toAbsolutePath() + " cannot be opened: the password "
                    + "(keyring.store.pkcs12.password) is wrong or the file is damaged.", e);
        }
        try {
            KeyStore.Entry entry = keyStore.getEntry(alias, new KeyStore.PasswordProtection(password));
            if (entry instanceof KeyStore.SecretKeyEntry secret && secret.getSecretKey().getEncoded() != null) {
                return secret.getSecretKey().getEncoded();
            }
        } catch (GeneralSecurityException e) {
            throw new StoreException("The secret '" + alias + "' in " + file.toAbsolutePath() + " cannot be read.", e);
        }
        throw new StoreException("The PKCS#12 file " + file.toAbsolutePath() + " has no secret entry '" + alias + "'.");
    }
}

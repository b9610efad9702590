package io.github.jwtkeyring.store.pkcs12;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyMaterial;
import io.github.jwtkeyring.keys.KeyRing;
import io.github.jwtkeyring.keys.ManagedKey;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.store.AtomicFiles;
import io.github.jwtkeyring.store.KeyEncodings;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.pkcs12.RingManifest.Entry;

/**
 * The ring in one password-protected PKCS#12 file.
 * <p>
 * Every entry is a PKCS#12 secret bag, encrypted and integrity-protected with the JDK's defaults (PBES2 with
 * AES-256-CBC and PBKDF2-HMAC-SHA256 for entries, HMAC-SHA256 for the file's MAC): HMAC secrets as they are, private
 * keys as their PKCS#8 encoding, and one more entry, {@value #MANIFEST_ALIAS}, with the ring's version, the metadata
 * of every key and the public keys. Keys held by a {@link KeyCustody} (a PKCS#11 token) have no secret entry: the
 * manifest names their custody, which finds them again by kid. A save writes a temporary file beside the keystore, forces it to
 * disk and renames
 * it over the old file, so a crash leaves either the old ring or the new one.
 */
public final class Pkcs12KeyRingStore implements KeyRingStore {

    static final String MANIFEST_ALIAS = "jwt-keyring-manifest";
    private static final String MANIFEST_LABEL = "HmacSHA256";

    private final Path path;
    private final char[] password;
    private final KeyCustody custody;

    /** A store that holds every key's secret part itself. */
    public Pkcs12KeyRingStore(Path path, char[] password) {
        this(path, password, null);
    }

    /**
     * @param path the keystore file; its directory is created on the first save
     * @param password the keystore password; kept, never logged
     * @param custody where keys recorded as held in custody are found (their secret parts are not in the file), or
     *        {@code null}
     */
    public Pkcs12KeyRingStore(Path path, char[] password, KeyCustody custody) {
        this.path = path.toAbsolutePath();
        this.password = password.clone();
        this.custody = custody;
        if (this.password.length == 0) {
            throw new StoreException(
                    "The password of the key store " + this.path + " (keyring.store.pkcs12.password) is empty.");
        }
        for (char c : this.password) {
            if (c < 0x20 || c > 0x7e) {
                throw new StoreException("The password of the key store " + this.path + " (keyring.store.pkcs12.password) "
                        + "must consist of printable ASCII characters: the JDK's PKCS#12 key protection accepts no "
                        + "others.");
            }
        }
    }

    @Override
    public Optional<KeyRing> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("The key store " + path + " cannot be read: " + e.getMessage(), e);
        }
        KeyStore keyStore = open(bytes);
        try {
            return Optional.of(ringFrom(keyStore));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new StoreException("The key store " + path + " opened, but its key ring is damaged ("
                    + e.getMessage() + "). The file was left untouched.", e);
        }
    }

    private KeyStore open(byte[] bytes) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(new ByteArrayInputStream(bytes), password);
            return keyStore;
        } catch (IOException e) {
            String reason = e.getCause() instanceof UnrecoverableKeyException
                    ? "the password (keyring.store.pkcs12.password) is wrong or the file is damaged: its integrity check failed"
                    : "it is damaged or not a PKCS#12 file";
            throw new StoreException("The key store " + path + " cannot be opened: " + reason
                    + ". The file was left untouched.", e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("The key store " + path + " cannot be opened: " + e.getMessage()
                    + ". The file was left untouched.", e);
        }
    }

    private KeyRing ringFrom(KeyStore keyStore) throws GeneralSecurityException {
        Properties manifest = RingManifest.read(new String(secret(keyStore, MANIFEST_ALIAS).getEncoded(),
                StandardCharsets.UTF_8));
        List<ManagedKey> keys = new ArrayList<>();
        List<Entry> entries = RingManifest.entries(manifest);
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            KeyMaterial material = !entry.metadata().state().holdsMaterial() ? null
                    : entry.custody() != null
                            ? KeyEncodings.inCustody(custody, entry.custody(), entry.metadata(), entry.publicKey())
                            : material(entry, secret(keyStore, alias(i)));
            keys.add(new ManagedKey(entry.metadata(), material));
        }
        return new KeyRing(RingManifest.version(manifest), keys);
    }

    private SecretKey secret(KeyStore keyStore, String alias) throws GeneralSecurityException {
        KeyStore.Entry entry = keyStore.getEntry(alias, new KeyStore.PasswordProtection(password));
        if (entry instanceof KeyStore.SecretKeyEntry secretEntry) {
            return secretEntry.getSecretKey();
        }
        throw new StoreException("entry '" + alias + "' is missing");
    }

    private static KeyMaterial material(Entry entry, SecretKey stored) throws GeneralSecurityException {
        return KeyEncodings.material(entry.metadata().algorithm(), stored.getEncoded(), entry.publicKey());
    }

    private static String alias(int index) {
        return "key-" + index;
    }

    @Override
    public void save(KeyRing ring) {
        AtomicFiles.replace(path, encode(ring), "key ring");
    }

    private byte[] encode(KeyRing ring) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < ring.keys().size(); i++) {
                ManagedKey key = ring.keys().get(i);
                Optional<KeyMaterial> material = key.material();
                String custodyName = material.map(KeyEncodings::custodyName).orElse(null);
                if (material.isPresent() && custodyName == null) {
                    keyStore.setEntry(alias(i), new KeyStore.SecretKeyEntry(storable(key, material.get())), protection);
                }
                byte[] publicKey = material.map(KeyEncodings::publicBytes).orElse(null);
                entries.add(new Entry(key.metadata(), publicKey, custodyName));
            }
            byte[] manifest = RingManifest.write(ring.version(), entries).getBytes(StandardCharsets.UTF_8);
            keyStore.setEntry(MANIFEST_ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(manifest, MANIFEST_LABEL)),
                    protection);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException("The key ring could not be encoded as PKCS#12: " + e.getMessage(), e);
        }
    }

    private static SecretKey storable(ManagedKey key, KeyMaterial material) {
        if (material.algorithm().symmetric()) {
            return (SecretKey) material.signingKey();
        }
        return new SecretKeySpec(KeyEncodings.secretBytes(key, material), KeyEncodings.jcaKeyAlgorithm(
                material.algorithm()));
    }

    @Override
    public String describe() {
        return "PKCS#12 file " + path;
    }

    @Override
    public String toString() {
        return "Pkcs12KeyRingStore[" + path + "]";
    }
}

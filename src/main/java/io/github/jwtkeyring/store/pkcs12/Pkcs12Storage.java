package io.github.jwtkeyring.store.pkcs12;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.Storage;

/**
 * The embedded default: the ring in one encrypted PKCS#12 file, the token ledger in an append-only journal beside it.
 * One node holds it alone.
 */
public final class Pkcs12Storage implements Storage {

    private final Path keystore;
    private final char[] password;
    private final Pkcs12KeyRingStore ring;
    private final FileLedgerJournal journal;

    /**
     * @param keystore the PKCS#12 file
     * @param password its password; kept, never logged
     * @param journal the token ledger journal
     */
    public Pkcs12Storage(Path keystore, char[] password, Path journal) {
        this.keystore = Objects.requireNonNull(keystore, "keystore").toAbsolutePath();
        this.password = password.clone();
        this.ring = new Pkcs12KeyRingStore(this.keystore, password);
        this.journal = new FileLedgerJournal(journal);
    }

    @Override
    public KeyRingStore keyRing() {
        return ring;
    }

    @Override
    public LedgerJournal ledgerJournal() {
        return journal;
    }

    /** The secret entry {@code alias} of the keystore, e.g. the master of derived HMAC keys. */
    @Override
    public Optional<byte[]> secret(String alias) {
        return Optional.of(Pkcs12SecretEntry.read(keystore, password, alias));
    }

    @Override
    public String describe() {
        return keystore.toString();
    }

    @Override
    public void close() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "Pkcs12Storage[" + keystore + "]";
    }
}

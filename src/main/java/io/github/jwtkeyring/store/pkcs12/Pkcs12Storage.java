package io.github.jwtkeyring.store.pkcs12;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.store.KeyRingStore;
import io.github.jwtkeyring.store.Storage;

/**
 * The embedded default: the ring in one encrypted PKCS#12 file, the token ledger in an append-only journal beside it.
 * One process holds it alone: opening it takes an exclusive lock ({@link StoreLock}) and removes the temporary files an
 * interrupted write left. The keystore and the journal are a pair: when the ring is first read, one of them present
 * without the other stops startup (an empty journal alone excepted: a first start that crashed), unless the operator
 * said which one may start empty.
 */
public final class Pkcs12Storage implements Storage {

    /** The part of the pair that the operator accepts starting without. */
    public enum Part {
        /** The keystore: new keys, so every token issued so far is rejected. */
        KEYSTORE,
        /** The journal: revocations and refresh sessions recorded so far are lost. */
        JOURNAL
    }

    private static final Logger LOG = Logger.getLogger(Pkcs12Storage.class);

    private final Path keystore;
    private final Path journalPath;
    private final char[] password;
    private final Optional<Part> acceptMissing;
    private final StoreLock lock;
    private final Pkcs12KeyRingStore ring;
    private final FileLedgerJournal journal;
    private boolean pairChecked;

    /** A storage that refuses a missing partner and any damage of the journal. */
    public Pkcs12Storage(Path keystore, char[] password, Path journal) {
        this(keystore, password, journal, OptionalLong.empty(), Optional.empty(), null);
    }

    /**
     * Locks the store and removes temporary files left by an interrupted write.
     *
     * @param keystore the PKCS#12 file
     * @param password its password; kept, never logged
     * @param journal the token ledger journal
     * @param journalRepairAt the offset of journal damage the operator accepts losing the journal from
     * @param acceptMissing the part of the pair the operator accepts starting without
     * @param custody where keys held outside the file are (a PKCS#11 token), or {@code null}
     * @throws StoreException if another process holds the store
     */
    public Pkcs12Storage(Path keystore, char[] password, Path journal, OptionalLong journalRepairAt,
            Optional<Part> acceptMissing, KeyCustody custody) {
        this.keystore = Objects.requireNonNull(keystore, "keystore").toAbsolutePath();
        this.journalPath = journal.toAbsolutePath();
        this.password = password.clone();
        this.acceptMissing = acceptMissing;
        this.ring = new Pkcs12KeyRingStore(this.keystore, password, custody);
        this.journal = new FileLedgerJournal(journalPath, journalRepairAt);
        this.lock = StoreLock.acquire(this.keystore);
        removeTemporaryFiles(this.keystore);
        removeTemporaryFiles(journalPath);
    }

    /** The ring's store; the first call checks that the keystore and the journal are a pair. */
    @Override
    public synchronized KeyRingStore keyRing() {
        if (!pairChecked) {
            checkPair();
            pairChecked = true;
        }
        return ring;
    }

    /**
     * A new pair is begun journal first, so that a crash before the keystore exists leaves an empty journal, which
     * loses nothing and is accepted; any other lone file means its partner was lost.
     */
    private void checkPair() {
        boolean hasKeystore = Files.exists(keystore);
        boolean hasJournal = Files.exists(journalPath);
        if (!hasKeystore && !hasJournal) {
            journal.rewrite(List.of());
            return;
        }
        if (hasKeystore == hasJournal || (!hasKeystore && journal.replay().isEmpty())) {
            return;
        }
        Part missing = hasKeystore ? Part.JOURNAL : Part.KEYSTORE;
        Path present = hasKeystore ? keystore : journalPath;
        Path absent = hasKeystore ? journalPath : keystore;
        String loss = missing == Part.JOURNAL ? "every revocation and refresh session recorded so far would be lost"
                : "new keys would be made, and every token issued so far rejected";
        if (acceptMissing.equals(Optional.of(missing))) {
            LOG.warnf("%s has no partner %s: starting without it, as keyring.store.pkcs12.accept-missing=%s asked; %s. "
                    + "Remove the setting.", present, absent, missing.name().toLowerCase(), loss);
            return;
        }
        throw new StoreException(present + " exists but its partner " + absent + " does not: " + loss + ", so nothing "
                + "was started. Restore " + absent + " (from the backup taken with " + present.getFileName() + "); "
                + "or, to start without it, start once with keyring.store.pkcs12.accept-missing="
                + missing.name().toLowerCase() + ".");
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

    /** Temporary files of an interrupted atomic replacement: never read, and one of them may hold a whole keystore. */
    private static void removeTemporaryFiles(Path target) {
        Path directory = target.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        String prefix = "." + target.getFileName() + ".tmp-";
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                LOG.infof("Removed %s, left by a write that was interrupted; the file it would have replaced is "
                        + "intact.", leftover);
            }
        } catch (IOException e) {
            LOG.warnf("Temporary files beside %s could not be removed: %s", target, e.getMessage());
        }
    }

    @Override
    public String describe() {
        return keystore.toString();
    }

    /** Releases the lock; the journal is closed by the ledger that uses it. */
    @Override
    public void close() {
        Arrays.fill(password, '\0');
        lock.close();
    }

    @Override
    public String toString() {
        return "Pkcs12Storage[" + keystore + "]";
    }
}

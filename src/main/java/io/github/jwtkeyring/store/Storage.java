package io.github.jwtkeyring.store;

import java.util.Optional;

import io.github.jwtkeyring.revocation.LedgerJournal;

/**
 * One storage technology's parts, which the rest of the module uses without knowing the technology: where the key ring
 * lives, where the token ledger keeps its journal, and, for storage that several nodes share, how a node hears of the
 * others' changes. Each technology is one sub-package ({@code memory}, {@code pkcs12}, {@code jdbc}).
 * <p>
 * Nothing is read or written before the parts are first used, so creating a storage never fails for lack of a file or
 * a database.
 */
public interface Storage extends AutoCloseable {

    /** Where the key ring lives. */
    KeyRingStore keyRing();

    /** Where the token ledger's revocations and refresh-token families live. */
    LedgerJournal ledgerJournal();

    /** How this node hears of changes other nodes make; empty for storage that one node holds alone. */
    default Optional<ChangeFeed> changeFeed() {
        return Optional.empty();
    }

    /**
     * A secret the operator keeps in this storage under {@code alias} (the master of derived HMAC keys in a PKCS#12
     * keystore, for one); empty if the storage holds no such secret or keeps no secrets of the operator's.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the storage cannot be read
     */
    default Optional<byte[]> secret(String alias) {
        return Optional.empty();
    }

    /**
     * Housekeeping that a periodic reload runs on a worker thread, e.g. re-encrypting key material left under an
     * earlier key-encryption key.
     *
     * @throws io.github.jwtkeyring.keys.StoreException if the storage cannot be reached; the next reload retries
     */
    default void maintain() {
    }

    /**
     * What housekeeping could not finish at its last run, e.g. key material left under a key-encryption key that
     * this node does not hold; empty when nothing is stuck.
     */
    default Optional<String> maintenanceProblem() {
        return Optional.empty();
    }

    /** Where the storage is, for logs and health checks; never a secret. */
    String describe();

    /** Releases files, locks and connections. */
    @Override
    default void close() {
    }
}

package io.github.jwtkeyring.runtime.storage;

import java.time.Duration;
import java.util.Optional;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.runtime.config.ConfigProblems;
import io.github.jwtkeyring.store.Storage;

/**
 * A storage technology as the application sees it: a CDI bean in a sub-package of its own (with the technology's
 * {@code keyring.store.<type>.*} configuration), chosen by {@code keyring.store.type}. Adding a technology adds a
 * provider; the producers, the ledger wiring, the health check and the configuration root stay as they are.
 */
public interface StorageProvider {

    /** The value of {@code keyring.store.type} that chooses this technology, e.g. {@code pkcs12}. */
    String type();

    /**
     * Checks the technology's own settings and records every problem; called at startup when the technology is
     * chosen, before anything is opened.
     */
    void check(ConfigProblems problems);

    /**
     * How long a change takes at most to reach every node sharing the storage (its reload interval); zero when one
     * node holds the storage alone. A new key signs only once it has been stored this long.
     */
    default Duration propagation() {
        return Duration.ZERO;
    }

    /**
     * Opens the storage; called once, after {@link #check} found nothing wrong.
     *
     * @param custody the device holding the secret parts of new keys (a PKCS#11 token), if one is configured; the
     *        storage then keeps only the metadata and public keys of such keys, and finds them there again by kid
     * @throws io.github.jwtkeyring.keys.KeyringException if it cannot be opened
     */
    Storage open(Optional<KeyCustody> custody);
}

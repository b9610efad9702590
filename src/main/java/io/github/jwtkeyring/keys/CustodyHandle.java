package io.github.jwtkeyring.keys;

import java.security.Key;
import java.security.Provider;

/**
 * A key held by a {@link KeyCustody}, as a ring's material refers to it: found on the device by its label when first
 * used, and found again once the custody has reconnected (its {@link KeyCustody#epoch()} moved on), so a ring read
 * from a store never waits for the device, and handles from before a reconnect are never used with the provider after
 * it.
 */
final class CustodyHandle {

    /** A key on the device and the provider that operates it, valid during one epoch of the custody. */
    record Resolved(long epoch, Key key, Provider provider) {
    }

    private final KeyCustody custody;
    private final String label;
    private final SigningAlgorithm algorithm;
    private final byte[] publicKey;
    private volatile Resolved resolved;

    CustodyHandle(KeyCustody custody, String label, SigningAlgorithm algorithm, byte[] publicKey, Key known) {
        this.custody = custody;
        this.label = label;
        this.algorithm = algorithm;
        this.publicKey = publicKey;
        this.resolved = known == null ? null : new Resolved(custody.epoch(), known, custody.provider());
    }

    KeyCustody custody() {
        return custody;
    }

    String label() {
        return label;
    }

    /**
     * The key on the device now.
     *
     * @throws KeyringException if the device cannot give it (unreachable, or the key is gone)
     */
    Resolved resolve() {
        Resolved current = resolved;
        long epoch = custody.epoch();
        if (current == null || current.epoch() != epoch) {
            Provider provider = custody.provider();
            Key key = custody.handle(label, algorithm, publicKey);
            current = new Resolved(epoch, key, provider);
            resolved = current;
        }
        return current;
    }
}

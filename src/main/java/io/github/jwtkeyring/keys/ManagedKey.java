package io.github.jwtkeyring.keys;

import java.util.Objects;
import java.util.Optional;

/**
 * One key of a ring: its metadata and, while its state holds any, its material.
 * <p>
 * Immutable. {@code toString()} shows kid, algorithm and state only.
 */
public final class ManagedKey {

    private final KeyMetadata metadata;
    private final KeyMaterial material;

    /**
     * @param material the key's material; {@code null} exactly when the state is DESTROYED or REVOKED
     * @throws KeyringException if material and state or algorithm do not agree
     */
    public ManagedKey(KeyMetadata metadata, KeyMaterial material) {
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.material = material;
        if (metadata.state().holdsMaterial() != (material != null)) {
            throw new KeyringException("Key '" + metadata.kid() + "' is " + metadata.state() + " and must "
                    + (material == null ? "" : "not ") + "hold material.");
        }
        if ((metadata.state() == KeyState.RETIRED || metadata.state() == KeyState.DESTROYED)
                && metadata.destroyAfter() == null) {
            throw new KeyringException("Key '" + metadata.kid() + "' is " + metadata.state()
                    + " but has no end of its retire window (destroyAfter).");
        }
        if (metadata.state() == KeyState.REVOKED && metadata.revoked() == null) {
            throw new KeyringException("Key '" + metadata.kid() + "' is REVOKED but has no revocation time.");
        }
        if (material != null && material.algorithm() != metadata.algorithm()) {
            throw new KeyringException("Key '" + metadata.kid() + "' is an " + metadata.algorithm()
                    + " key but its material is for " + material.algorithm() + ".");
        }
    }

    /** The metadata. */
    public KeyMetadata metadata() {
        return metadata;
    }

    /** The key id. */
    public String kid() {
        return metadata.kid();
    }

    /** The state. */
    public KeyState state() {
        return metadata.state();
    }

    /** The algorithm. */
    public SigningAlgorithm algorithm() {
        return metadata.algorithm();
    }

    /** The material, empty once the key is DESTROYED or REVOKED. */
    public Optional<KeyMaterial> material() {
        return Optional.ofNullable(material);
    }

    /** The material of a key that still holds it. */
    public KeyMaterial requireMaterial() {
        if (material == null) {
            throw new KeyringException("Key '" + kid() + "' is " + state() + " and holds no material.");
        }
        return material;
    }

    /**
     * This key with new metadata for the same kid; material is dropped when the new state holds none.
     */
    public ManagedKey with(KeyMetadata newMetadata) {
        if (!newMetadata.kid().equals(kid())) {
            throw new KeyringException("Key '" + kid() + "' cannot take the metadata of '" + newMetadata.kid() + "'.");
        }
        return new ManagedKey(newMetadata, newMetadata.state().holdsMaterial() ? material : null);
    }

    @Override
    public String toString() {
        return "ManagedKey[kid=" + kid() + ", alg=" + algorithm() + ", state=" + state() + "]";
    }
}

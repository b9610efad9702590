package io.github.jwtkeyring.runtime.storage.jdbc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Cluster mode, {@code keyring.store.type=jdbc}: the ring and the token ledger in PostgreSQL, shared by every node.
 * Needs the dependency {@code io.quarkus:quarkus-jdbc-postgresql} and a datasource.
 */
@ConfigMapping(prefix = "keyring.store.jdbc")
public interface JdbcStoreConfig {

    /**
     * The name of the Quarkus datasource to use ({@code quarkus.datasource."name".*}); unset, the default datasource
     * ({@code quarkus.datasource.*}).
     */
    Optional<String> datasource();

    /**
     * How often each node reloads the ring and the token ledger from the database, as a fallback to the immediate
     * LISTEN/NOTIFY propagation; shorter than {@code keyring.rotation.publish-ahead}. A key signs only once it has been
     * stored this long, so every node knows it first.
     */
    @WithDefault("PT30S")
    Duration reloadInterval();

    /**
     * The key-encryption key (KEK): base64 of 32 random bytes, typically from the environment variable
     * {@code KEYRING_STORE_JDBC_KEK}. Key material is encrypted with it (AES-256-GCM) before it reaches the database.
     * Alternatively, {@code keyring.store.jdbc.kek-keystore.*} names a PKCS#12 entry that holds it.
     */
    Optional<String> kek();

    /**
     * Earlier KEKs (base64, comma-separated) during a KEK rotation: they only decrypt material that has not been
     * re-wrapped under {@code kek} yet, which happens in the background within one reload interval. Remove them once
     * the log says every key was re-wrapped.
     */
    Optional<List<String>> kekPrevious();

    /** A PKCS#12 keystore that holds the KEK, as an alternative to {@code kek}. */
    KekKeystore kekKeystore();

    /** A PKCS#12 keystore holding the KEK. */
    interface KekKeystore {

        /** The PKCS#12 file. */
        Optional<Path> path();

        /** Its password, typically from {@code KEYRING_STORE_JDBC_KEK_KEYSTORE_PASSWORD}. */
        Optional<String> password();

        /** The alias of the current KEK, a 256-bit secret key entry. */
        @WithDefault("jwt-keyring-kek")
        String alias();

        /** Aliases of earlier KEKs during a KEK rotation. */
        Optional<List<String>> previousAliases();
    }
}

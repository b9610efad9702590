package io.github.jwtkeyring.runtime.storage.pkcs12;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded default store, {@code keyring.store.type=pkcs12}: an encrypted PKCS#12 file and the token ledger's
 * journal beside it.
 */
@ConfigMapping(prefix = "keyring.store.pkcs12")
public interface Pkcs12StoreConfig {

    /**
     * The PKCS#12 file. Its directory must be on a local file system that can rename files atomically. Dev mode uses
     * {@code target/keyring/dev-keyring.p12}.
     */
    @WithDefault("keyring.p12")
    Path path();

    /**
     * The PKCS#12 password, printable ASCII, typically from the environment variable
     * {@code KEYRING_STORE_PKCS12_PASSWORD}. Required in production; in dev and test mode a generated password is kept
     * in a file beside the keystore.
     */
    Optional<String> password();

    /**
     * The token ledger journal (revocations and refresh-token families). Defaults to the keystore path with
     * {@code .journal} appended, e.g. {@code keyring.p12.journal}; same file system requirements as the keystore.
     */
    Optional<Path> journalPath();
}

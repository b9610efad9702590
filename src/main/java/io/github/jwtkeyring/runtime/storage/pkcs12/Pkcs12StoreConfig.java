package io.github.jwtkeyring.runtime.storage.pkcs12;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import io.github.jwtkeyring.store.pkcs12.Pkcs12Storage;
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

    /**
     * The way out of a damaged journal: the byte offset that the damage message names. Started once with it, the
     * journal keeps a copy of the damaged file beside it and goes on with the entries before that offset (those after
     * it are lost). Any other offset, or a journal without damage there, changes nothing. Remove it afterwards.
     */
    OptionalLong journalRepairAt();

    /**
     * Starting although one file of the keystore-and-journal pair is missing: {@code journal} (its revocations and
     * refresh sessions are lost) or {@code keystore} (new keys: every token issued so far is rejected). Unset, a lone
     * file stops startup. Remove it afterwards.
     */
    Optional<Pkcs12Storage.Part> acceptMissing();
}

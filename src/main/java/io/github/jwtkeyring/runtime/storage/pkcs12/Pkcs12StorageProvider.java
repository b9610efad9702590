package io.github.jwtkeyring.runtime.storage.pkcs12;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.github.jwtkeyring.keys.KeyCustody;
import io.github.jwtkeyring.keys.KeyringException;
import io.github.jwtkeyring.runtime.config.ConfigProblems;
import io.github.jwtkeyring.runtime.storage.StorageProvider;
import io.github.jwtkeyring.store.Storage;
import io.github.jwtkeyring.store.pkcs12.Pkcs12Storage;
import io.quarkus.runtime.LaunchMode;

/**
 * {@code keyring.store.type=pkcs12}, the embedded default: one encrypted PKCS#12 file and its ledger journal.
 */
@ApplicationScoped
public class Pkcs12StorageProvider implements StorageProvider {

    /** The store type. */
    public static final String TYPE = "pkcs12";

    @Inject
    Pkcs12StoreConfig config;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void check(ConfigProblems problems) {
        if (config.password().isEmpty()) {
            if (!LaunchMode.current().isDevOrTest()) {
                problems.add("keyring.store.pkcs12.password", "is not set. The PKCS#12 key store "
                        + config.path().toAbsolutePath() + " needs a password: set the environment variable "
                        + "KEYRING_STORE_PKCS12_PASSWORD.");
            }
            return;
        }
        String password = config.password().get();
        if (password.isEmpty() || !password.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            problems.add("keyring.store.pkcs12.password", "must be a non-empty string of printable ASCII characters: "
                    + "the JDK's PKCS#12 key protection accepts no others.");
        }
    }

    @Override
    public Storage open(Optional<KeyCustody> custody) {
        char[] password = StorePasswords.resolve(config, LaunchMode.current());
        if (password == null) {
            throw new KeyringException("keyring.store.pkcs12.password is not set.");
        }
        Path journal = config.journalPath().orElseGet(() -> Path.of(config.path() + ".journal"));
        return new Pkcs12Storage(config.path(), password, journal, config.journalRepairAt(), config.acceptMissing(),
                custody.orElse(null));
    }
}

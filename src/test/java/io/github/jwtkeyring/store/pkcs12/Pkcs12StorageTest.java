package io.github.jwtkeyring.store.pkcs12;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.keys.JdkKeyGenerator;
import io.github.jwtkeyring.keys.SigningAlgorithm;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.rotation.Rotation;
import io.github.jwtkeyring.rotation.RotationPolicy;

/**
 * The embedded store as a whole: one process per store, the keystore and its journal as a pair, and no temporary file
 * of an interrupted write left behind.
 */
class Pkcs12StorageTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path directory;

    private Path keystore() {
        return directory.resolve("keyring.p12");
    }

    private Path journal() {
        return directory.resolve("keyring.p12.journal");
    }

    private Pkcs12Storage open(Optional<Pkcs12Storage.Part> acceptMissing) {
        return new Pkcs12Storage(keystore(), PASSWORD, journal(), OptionalLong.empty(), acceptMissing, null);
    }

    private void saveRing(Pkcs12Storage storage) {
        RotationPolicy policy = new RotationPolicy(SigningAlgorithm.ES256, Duration.ofDays(1), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(60));
        Rotation rotation = new Rotation(policy, new JdkKeyGenerator(new SecureRandom(), 2048));
        storage.keyRing().save(rotation.bootstrap(T0));
    }

    @Test
    void aSecondStorageOnTheSameStore_isRefusedNamingTheLockAndItsHolder_untilTheFirstIsClosed() {
        Pkcs12Storage first = open(Optional.empty());

        assertThatThrownBy(() -> open(Optional.empty())).isInstanceOf(StoreException.class)
                .hasMessageContaining("is in use by another process")
                .hasMessageContaining("process " + ProcessHandle.current().pid())
                .hasMessageContaining("keyring.p12.lock").hasMessageContaining("keyring.store.type=jdbc");

        first.close();
        open(Optional.empty()).close();
    }

    @Test
    void aNewStore_beginsWithTheJournal_andThenHoldsBoth() {
        try (Pkcs12Storage storage = open(Optional.empty())) {
            saveRing(storage);
        }
        assertThat(journal()).exists();
        assertThat(keystore()).exists();
        open(Optional.empty()).keyRing();
    }

    @Test
    void aKeystoreWithoutItsJournal_stopsStartup_unlessTheOperatorAcceptsIt() throws IOException {
        try (Pkcs12Storage storage = open(Optional.empty())) {
            saveRing(storage);
        }
        Files.delete(journal());

        try (Pkcs12Storage storage = open(Optional.empty())) {
            assertThatThrownBy(storage::keyRing).isInstanceOf(StoreException.class)
                    .hasMessageContaining(journal() + " does not")
                    .hasMessageContaining("every revocation and refresh session recorded so far would be lost")
                    .hasMessageContaining("keyring.store.pkcs12.accept-missing=journal");
        }
        assertThat(journal()).doesNotExist();
        try (Pkcs12Storage storage = open(Optional.of(Pkcs12Storage.Part.JOURNAL))) {
            assertThat(storage.keyRing().load()).isPresent();
        }
    }

    @Test
    void aJournalWithEntriesWithoutItsKeystore_stopsStartup_unlessTheOperatorAcceptsIt() {
        try (Pkcs12Storage storage = open(Optional.empty())) {
            storage.ledgerJournal().append(List.of(new TokenRevoked("jti-1", T0.plusSeconds(300))));
            storage.ledgerJournal().close();
        }

        try (Pkcs12Storage storage = open(Optional.empty())) {
            assertThatThrownBy(storage::keyRing).isInstanceOf(StoreException.class)
                    .hasMessageContaining(keystore() + " does not")
                    .hasMessageContaining("keyring.store.pkcs12.accept-missing=keystore");
        }
        try (Pkcs12Storage storage = open(Optional.of(Pkcs12Storage.Part.KEYSTORE))) {
            assertThat(storage.keyRing().load()).isEmpty();
        }
    }

    @Test
    void anEmptyJournalWithoutAKeystore_isAFirstStartThatCrashed_andStarts() {
        try (Pkcs12Storage crashed = open(Optional.empty())) {
            crashed.ledgerJournal().rewrite(List.of());
        }

        try (Pkcs12Storage storage = open(Optional.empty())) {
            assertThat(storage.keyRing().load()).isEmpty();
        }
    }

    @Test
    void temporaryFilesOfAnInterruptedWrite_areRemovedWhenTheStoreOpens_andNothingElse() throws IOException {
        Path keystoreLeftover = Files.write(directory.resolve(".keyring.p12.tmp-1f2e"), new byte[] { 1, 2, 3 });
        Path journalLeftover = Files.write(directory.resolve(".keyring.p12.journal.tmp-9a8b"), new byte[] { 4 });
        Path unrelated = Files.write(directory.resolve("notes.txt"), new byte[] { 5 });

        open(Optional.empty()).close();

        assertThat(keystoreLeftover).doesNotExist();
        assertThat(journalLeftover).doesNotExist();
        assertThat(unrelated).exists();
    }
}

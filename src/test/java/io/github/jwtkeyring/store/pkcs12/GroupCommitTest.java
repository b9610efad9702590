package io.github.jwtkeyring.store.pkcs12;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.issue.RefreshFamilies;
import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.RefreshFamily;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.testing.MutableClock;

/**
 * Group commit of the journal file: changes written together share one record and one forced write, each caller
 * returns only once its own change is on disk, and a failed group write leaves neither its changes nor later ones in
 * the ledger.
 */
class GroupCommitTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static LedgerEvent revoked(String jti) {
        return new TokenRevoked(jti, T0.plusSeconds(900));
    }

    @Test
    void changesQueuedBeforeAForcedWrite_shareItsRecord_andBecomeDurableTogether() throws IOException {
        Path file = dir.resolve("journal.bin");
        FileLedgerJournal journal = new FileLedgerJournal(file);
        journal.append(List.of(revoked("first")));
        int recordsBefore = records(file);

        long a = journal.write(List.of(revoked("a")));
        long b = journal.write(List.of(revoked("b1"), revoked("b2")));
        long c = journal.write(List.of(revoked("c")));
        journal.awaitDurable(c);

        assertThat(records(file)).isEqualTo(recordsBefore + 1);
        journal.awaitDurable(a); // already durable with c: returns at once
        journal.awaitDurable(b);
        assertThat(new FileLedgerJournal(file).replay()).containsExactly(revoked("first"), revoked("a"),
                revoked("b1"), revoked("b2"), revoked("c"));
        journal.close();
    }

    @Test
    void concurrentRevocations_areEachInEffectAndDurableWhenTheyReturn() throws Exception {
        Path file = dir.resolve("journal.bin");
        TokenLedger ledger = ledger(new FileLedgerJournal(file));
        ledger.load();
        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String thread = "t" + t + "-";
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    ledger.revokeToken(thread + i, Optional.of(T0.plusSeconds(900)));
                    assertThat(ledger.rejection(thread + i, "s", T0, null)).isPresent();
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        TokenLedger restarted = ledger(new FileLedgerJournal(file));
        restarted.load();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                assertThat(restarted.rejection("t" + t + "-" + i, "s", T0, null)).isPresent();
            }
        }
        assertThat(new FileLedgerJournal(file).replay()).hasSize(threads * each);
        ledger.close();
        restarted.close();
    }

    @Test
    void failedGroupWrite_failsEveryChangeInIt_andTheLedgerForgetsThem_untilWritesSucceedAgain() throws Exception {
        Path file = dir.resolve("journal.bin");
        FileLedgerJournal first = new FileLedgerJournal(file);
        first.append(List.of(revoked("before")));
        first.close();
        FileLedgerJournal journal = new FileLedgerJournal(file);
        TokenLedger ledger = ledger(journal);
        ledger.load();

        immutable(file, true); // every write is refused from here on, as a full or failing disk would refuse it
        try {
            long queued = journal.write(List.of(revoked("queued")));
            assertThatThrownBy(() -> ledger.revokeToken("lost", Optional.empty()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("could not be written");
            assertThatThrownBy(() -> journal.awaitDurable(queued)).isInstanceOf(StoreException.class);

            assertThat(journal.needsRecovery()).as("read back by the ledger already").isFalse();
            assertThat(ledger.rejection("lost", "s", T0, null)).as("the failed revocation took no effect").isEmpty();
            assertThat(ledger.rejection("before", "s", T0, null)).isPresent();
        } finally {
            immutable(file, false);
        }

        ledger.revokeToken("kept", Optional.empty());
        assertThat(ledger.rejection("kept", "s", T0, null)).isPresent();
        assertThat(new FileLedgerJournal(file).replay()).containsExactly(revoked("before"),
                new TokenRevoked("kept", T0.plus(Duration.ofMinutes(15)).plusSeconds(60)));
        ledger.close();
    }

    @Test
    void reusedRefreshToken_isRevokedOnDisk_beforeItsRefusalReturns() {
        Path file = dir.resolve("journal.bin");
        TokenLedger ledger = ledger(new FileLedgerJournal(file));
        ledger.load();
        RefreshFamilies families = new RefreshFamilies(ledger, new MutableClock(T0), SETTINGS);
        families.start("fam-1", "alice", Set.of("user"), "hash-0");
        families.exchange("hash-0", "hash-1");

        assertThatThrownBy(() -> families.exchange("hash-0", "hash-2")).isInstanceOf(InvalidGrantException.class);

        List<RefreshFamily> onDisk = new FileLedgerJournal(file).replay().stream()
                .filter(FamilyRecorded.class::isInstance).map(e -> ((FamilyRecorded) e).family()).toList();
        assertThat(onDisk.get(onDisk.size() - 1).revoked()).as("the family as the disk holds it now").isTrue();
        ledger.close();
    }

    /**
     * Makes the file unwritable, or writable again, so that writes fail in the kernel as they would on a full or failing
     * disk: by its permissions, or, for root, whom permissions do not stop, by the immutable attribute (chattr, from
     * e2fsprogs).
     */
    private static void immutable(Path file, boolean on) throws Exception {
        if (on) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
            if (Files.isWritable(file)) {
                chattr(file, true);
            }
        } else {
            if (immutableAttribute) {
                chattr(file, false);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static void chattr(Path file, boolean on) throws Exception {
        Process chattr;
        try {
            chattr = new ProcessBuilder("chattr", on ? "+i" : "-i", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("Run as root, this test needs chattr (Debian package e2fsprogs) to make a file "
                    + "unwritable", e);
        }
        String output = new String(chattr.getInputStream().readAllBytes());
        if (chattr.waitFor() != 0) {
            throw new AssertionError("chattr " + (on ? "+i" : "-i") + " failed (" + output.strip() + "): run as "
                    + "root, this test needs a file system with the immutable attribute (ext4, xfs, btrfs)");
        }
        immutableAttribute = on;
    }

    private static boolean immutableAttribute;

    private static final LedgerSettings SETTINGS = new LedgerSettings(Duration.ofSeconds(60), Duration.ofHours(8),
            () -> Duration.ofMinutes(15));

    @Test
    void aLogin_signsWhileItsFamilyIsFlushed_andAnswersOnlyOnceTheFamilyIsOnDisk() throws IOException {
        Path file = dir.resolve("journal.bin");
        TokenLedger ledger = ledger(new FileLedgerJournal(file));
        ledger.load();
        RefreshFamilies families = new RefreshFamilies(ledger, new MutableClock(T0), SETTINGS);

        String answer = families.start("fam-1", "alice", Set.of("user"), "hash-1", family -> {
            // the work done meanwhile (signing the access token) sees the family in effect, not yet on disk
            assertThat(ledger.family("fam-1")).isPresent();
            assertThat(new FileLedgerJournal(file).replay()).noneMatch(FamilyRecorded.class::isInstance);
            return "token for " + family.id();
        });

        assertThat(answer).isEqualTo("token for fam-1");
        assertThat(new FileLedgerJournal(file).replay()).anyMatch(
                event -> event instanceof FamilyRecorded recorded && recorded.family().id().equals("fam-1"));
    }

    @Test
    void aLoginWhoseSigningFails_reportsThatFailure_withItsFamilyDurableAndUnused() throws IOException {
        Path file = dir.resolve("journal.bin");
        TokenLedger ledger = ledger(new FileLedgerJournal(file));
        ledger.load();
        RefreshFamilies families = new RefreshFamilies(ledger, new MutableClock(T0), SETTINGS);

        assertThatThrownBy(() -> families.start("fam-1", "alice", Set.of("user"), "hash-1", family -> {
            throw new IllegalStateException("the key cannot sign");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the key cannot sign");

        // nobody got its refresh token; it is on disk like any other, and expires like any other
        assertThat(new FileLedgerJournal(file).replay()).anyMatch(FamilyRecorded.class::isInstance);
    }

    private static TokenLedger ledger(FileLedgerJournal journal) {
        return new TokenLedger(journal, new MutableClock(T0), SETTINGS);
    }

    /** How many records the journal file holds after its header. */
    private static int records(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        bytes.position(FileLedgerJournal.HEADER);
        int records = 0;
        while (bytes.remaining() >= 12) {
            int length = bytes.getInt();
            bytes.position(bytes.position() + 8 + length);
            records++;
        }
        return records;
    }
}

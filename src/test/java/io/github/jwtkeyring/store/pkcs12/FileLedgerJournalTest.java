package io.github.jwtkeyring.store.pkcs12;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.InvalidGrantException;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerEvent.FamilyRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.RefreshTokenRecorded;
import io.github.jwtkeyring.revocation.LedgerEvent.SubjectRevoked;
import io.github.jwtkeyring.revocation.LedgerEvent.TokenRevoked;
import io.github.jwtkeyring.revocation.LedgerSettings;
import io.github.jwtkeyring.revocation.RefreshFamily;
import io.github.jwtkeyring.revocation.TokenLedger;
import io.github.jwtkeyring.testing.LedgerNode;
import io.github.jwtkeyring.testing.MutableClock;

class FileLedgerJournalTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456789Z");
    private static final String UNICODE_SUBJECT = "Zoë Ångström \u6771\u4EAC \uD83D\uDD11";

    private static final LedgerEvent TOKEN_REVOKED = new TokenRevoked("jti-1", T0.plusSeconds(900));
    private static final LedgerEvent SUBJECT_REVOKED = new SubjectRevoked(UNICODE_SUBJECT, T0, T0.plusSeconds(86_400));
    private static final LedgerEvent LIVE_FAMILY = new FamilyRecorded(new RefreshFamily("fam-live", UNICODE_SUBJECT,
            Set.of("user", "admin", "gruppe-ü"), T0, 3, T0.plusSeconds(28_800), null, T0.plusSeconds(28_800)));
    private static final LedgerEvent REVOKED_FAMILY = new FamilyRecorded(new RefreshFamily("fam-revoked", "bob",
            Set.of(), T0.minusSeconds(60), 0, T0.plusSeconds(28_740), T0.plusNanos(1), T0.plusSeconds(960)));
    private static final LedgerEvent REFRESH_TOKEN = new RefreshTokenRecorded(
            "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg", "fam-live", 3, T0.plusSeconds(28_800));

    @TempDir
    Path dir;

    private final List<FileLedgerJournal> opened = new ArrayList<>();

    private Path file() {
        return dir.resolve("ledger").resolve("journal.bin");
    }

    private FileLedgerJournal journal() {
        FileLedgerJournal journal = new FileLedgerJournal(file());
        opened.add(journal);
        return journal;
    }

    @AfterEach
    void closeJournals() {
        opened.forEach(FileLedgerJournal::close);
    }

    private long size() throws IOException {
        return Files.size(file());
    }

    private void truncate(long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /** A journal of three appends, one event each, closed as at a shutdown; returns where the second record starts. */
    private long threeRecords(LedgerEvent first, LedgerEvent second, LedgerEvent third) throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(first));
        long secondStart = size();
        journal.append(List.of(second));
        journal.append(List.of(third));
        journal.close();
        return secondStart;
    }

    private void appendRaw(byte... bytes) throws IOException {
        Files.write(file(), bytes, StandardOpenOption.APPEND);
    }

    private void flipByte(long offset, int mask) throws IOException {
        byte[] bytes = Files.readAllBytes(file());
        bytes[Math.toIntExact(offset)] ^= (byte) mask;
        Files.write(file(), bytes);
    }

    // ---------------------------------------------------------------- round trip

    @Test
    void replay_ofMissingFile_isEmptyAndCreatesNothing() {
        assertThat(journal().replay()).isEmpty();
        assertThat(file()).doesNotExist();
    }

    @Test
    void append_thenReplayByNewInstance_returnsTheSameEventsInOrder() {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED, SUBJECT_REVOKED));
        journal.append(List.of(LIVE_FAMILY, REFRESH_TOKEN));
        journal.append(List.of(REVOKED_FAMILY));

        List<LedgerEvent> replayed = journal().replay();

        assertThat(replayed).containsExactly(TOKEN_REVOKED, SUBJECT_REVOKED, LIVE_FAMILY, REFRESH_TOKEN,
                REVOKED_FAMILY);
        RefreshFamily revoked = ((FamilyRecorded) replayed.get(4)).family();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.revokedAt()).isEqualTo(T0.plusNanos(1));
        assertThat(((FamilyRecorded) replayed.get(2)).family().revoked()).isFalse();
        assertThat(((SubjectRevoked) replayed.get(1)).subject()).isEqualTo(UNICODE_SUBJECT);
    }

    @Test
    void append_toMissingFile_createsItWithItsDirectoryOwnerOnly() throws IOException {
        journal().append(List.of(TOKEN_REVOKED));

        assertThat(file()).exists();
        assumePosix();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    }

    @Test
    void toStringAndDescribe_nameThePath() {
        FileLedgerJournal journal = journal();

        assertThat(journal.describe()).contains(file().toString());
        assertThat(journal.toString()).contains(file().toString());
    }

    // ---------------------------------------------------------------- rewrite

    @Test
    void rewrite_replacesTheWholeContentWithAnOwnerOnlyFile_andLeavesNoTemporaryFile() throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED, SUBJECT_REVOKED));
        journal.append(List.of(LIVE_FAMILY));

        journal.rewrite(List.of(REVOKED_FAMILY, REFRESH_TOKEN));

        assertThat(journal().replay()).containsExactly(REVOKED_FAMILY, REFRESH_TOKEN);
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files).containsExactly(file());
        }
        assumePosix();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
    }

    @Test
    void rewrite_withEmptySnapshot_leavesAnEmptyJournal() {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));

        journal.rewrite(List.of());

        assertThat(journal().replay()).isEmpty();
    }

    @Test
    void append_afterRewrite_goesToTheNewFile() {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));

        journal.rewrite(List.of(SUBJECT_REVOKED));
        journal.append(List.of(LIVE_FAMILY));
        journal.append(List.of(REFRESH_TOKEN));

        assertThat(journal().replay()).containsExactly(SUBJECT_REVOKED, LIVE_FAMILY, REFRESH_TOKEN);
    }

    // ---------------------------------------------------------------- torn writes

    /**
     * What a crash while {@code events} were being appended leaves on disk: the header as it was (the new
     * acknowledged length is only written once the record is on disk), and only the first {@code keep} bytes of the
     * new record.
     */
    private void crashWhileAppending(FileLedgerJournal journal, List<LedgerEvent> events, int keep)
            throws IOException {
        byte[] before = Files.exists(file()) ? Files.readAllBytes(file()) : null;
        journal.append(events);
        journal.close();
        byte[] after = Files.readAllBytes(file());
        int start = before == null ? FileLedgerJournal.HEADER + 12 + 4 : before.length;
        byte[] torn = Arrays.copyOf(after, start + keep);
        if (before != null) {
            System.arraycopy(before, 0, torn, 0, FileLedgerJournal.HEADER);
        }
        Files.write(file(), torn);
    }

    @Test
    void replay_withTheRecordBeingAppendedCutShort_dropsItAndKeepsEveryAcknowledgedEvent() throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));
        journal.append(List.of(SUBJECT_REVOKED, LIVE_FAMILY));
        for (int keep = 0; keep < 30; keep++) {
            byte[] acknowledged = Files.readAllBytes(file());
            crashWhileAppending(journal(), List.of(REFRESH_TOKEN), keep);

            assertThat(journal().replay()).as("%d bytes of the record written", keep)
                    .containsExactly(TOKEN_REVOKED, SUBJECT_REVOKED, LIVE_FAMILY);
            Files.write(file(), acknowledged);
        }
    }

    @Test
    void replay_withZerosAfterTheAcknowledgedLength_dropsThemAsATornWrite() throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));
        journal.close();
        appendRaw(new byte[40]);

        assertThat(journal().replay()).containsExactly(TOKEN_REVOKED);
    }

    @Test
    void replay_withTheLastAcknowledgedRecordCutShort_isDamage_notATornWrite() throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));
        long lastStart = size();
        journal.append(List.of(REFRESH_TOKEN));
        journal.close();
        truncate(size() - 3);

        StoreException failure = catchThrowableOfType(StoreException.class, () -> journal().replay());

        assertThat(failure).as("a replay that dropped an acknowledged revocation").isNotNull();
        assertThat(failure.getMessage()).contains("damaged at byte " + lastStart).contains("a record is cut short");
    }

    @Test
    void replay_ofAJournalCutAtARecordBoundary_isDamage_namingTheAcknowledgedLength() throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));
        long firstEnd = size();
        journal.append(List.of(REFRESH_TOKEN));
        journal.close();
        long size = size();
        truncate(firstEnd);

        assertThatThrownBy(() -> journal().replay()).isInstanceOf(StoreException.class)
                .hasMessageContaining("the file ends at byte " + firstEnd + " but its first " + size
                        + " bytes were acknowledged");
    }

    @Test
    void replay_ofASnapshotCutByOneByte_isDamage_notATornWrite() throws IOException {
        journal().rewrite(List.of(TOKEN_REVOKED, SUBJECT_REVOKED, LIVE_FAMILY));
        truncate(size() - 1);
        byte[] damaged = Files.readAllBytes(file());

        assertThatThrownBy(() -> journal().replay()).isInstanceOf(StoreException.class).hasMessageContaining("damaged");
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    @Test
    void append_afterReplayDroppedATornTail_cutsTheTailOffSoLaterRecordsStayReadable() throws IOException {
        journal().append(List.of(TOKEN_REVOKED));
        crashWhileAppending(journal(), List.of(LIVE_FAMILY), 7);
        FileLedgerJournal reopened = journal();
        reopened.replay();

        reopened.append(List.of(SUBJECT_REVOKED));
        reopened.close();

        assertThat(journal().replay()).containsExactly(TOKEN_REVOKED, SUBJECT_REVOKED);
    }

    @Test
    void ledgerLoad_overATornJournal_dropsTheTailAndKeepsRecording() throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));
        crashWhileAppending(journal, List.of(SUBJECT_REVOKED), 20);
        MutableClock clock = new MutableClock(T0);
        TokenLedger ledger = new TokenLedger(journal(), clock, settings());

        ledger.load();
        ledger.revokeToken("jti-after-crash", Optional.of(T0.plusSeconds(600)));

        assertThat(journal().replay()).containsExactlyInAnyOrder(TOKEN_REVOKED,
                new TokenRevoked("jti-after-crash", T0.plusSeconds(660)));
    }

    /**
     * Every way of damaging a small journal (a snapshot and three acknowledged appends, closed as at a shutdown) by
     * cutting it at any offset or flipping any byte: the replay either refuses with the file left as it was, or
     * returns every acknowledged event. No acknowledged revocation is ever dropped quietly.
     */
    @Test
    void damageMatrix_truncationAtEveryOffsetAndEveryFlippedByte_neverDropsAnAcknowledgedEvent() throws IOException {
        FileLedgerJournal journal = journal();
        journal.rewrite(List.of(TOKEN_REVOKED, SUBJECT_REVOKED));
        journal.append(List.of(LIVE_FAMILY));
        journal.append(List.of(REFRESH_TOKEN));
        journal.append(List.of(REVOKED_FAMILY));
        journal.close();
        byte[] intact = Files.readAllBytes(file());
        List<LedgerEvent> all = List.of(TOKEN_REVOKED, SUBJECT_REVOKED, LIVE_FAMILY, REFRESH_TOKEN, REVOKED_FAMILY);
        int refused = 0;
        for (int length = 0; length < intact.length; length++) {
            refused += replayOrRefuse(Arrays.copyOf(intact, length), all, "cut to " + length + " bytes");
        }
        for (int offset = 0; offset < intact.length; offset++) {
            for (int mask : new int[] { 0x01, 0x80 }) {
                byte[] flipped = intact.clone();
                flipped[offset] ^= (byte) mask;
                refused += replayOrRefuse(flipped, all, "byte " + offset + " xor " + mask);
            }
        }
        assertThat(refused).as("variants refused").isGreaterThan(intact.length * 2);
    }

    /** Replays {@code content}: returns 1 if it was refused (file unchanged), 0 if it returned every event. */
    private int replayOrRefuse(byte[] content, List<LedgerEvent> all, String variant) throws IOException {
        Files.write(file(), content);
        try {
            assertThat(journal().replay()).as(variant).isEqualTo(all);
            return 0;
        } catch (StoreException refused) {
            assertThat(Files.readAllBytes(file())).as(variant + ": the file after the refusal").isEqualTo(content);
            return 1;
        }
    }

    // ---------------------------------------------------------------- the way out

    @Test
    void damage_namesTheOffsetAndTheSettingThatRepairsIt() throws IOException {
        long secondStart = threeRecords(TOKEN_REVOKED, LIVE_FAMILY, REFRESH_TOKEN);
        flipByte(secondStart + 14, 0x04);

        assertThatThrownBy(() -> journal().replay()).isInstanceOf(StoreException.class)
                .hasMessageContaining("damaged at byte " + secondStart)
                .hasMessageContaining("keyring.store.pkcs12.journal-repair-at=" + secondStart)
                .hasMessageContaining("a copy of the whole file is kept");
    }

    @Test
    void repairAtTheNamedOffset_keepsACopy_goesOnWithTheEntriesBefore_andTheJournalIsSoundAfterwards()
            throws IOException {
        long secondStart = threeRecords(TOKEN_REVOKED, LIVE_FAMILY, REFRESH_TOKEN);
        flipByte(secondStart + 14, 0x04);
        byte[] damaged = Files.readAllBytes(file());

        assertThatThrownBy(() -> new FileLedgerJournal(file(), OptionalLong.of(secondStart + 1)).replay())
                .isInstanceOf(StoreException.class).hasMessageContaining("which is not where the damage is");
        FileLedgerJournal repaired = new FileLedgerJournal(file(), OptionalLong.of(secondStart));
        opened.add(repaired);
        assertThat(repaired.replay()).containsExactly(TOKEN_REVOKED);
        try (Stream<Path> files = Files.list(file().getParent())) {
            Path copy = files.filter(f -> f.getFileName().toString().startsWith("journal.bin.damaged-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readAllBytes(copy)).isEqualTo(damaged);
        }
        repaired.append(List.of(SUBJECT_REVOKED));
        repaired.close();

        assertThat(journal().replay()).containsExactly(TOKEN_REVOKED, SUBJECT_REVOKED);
    }

    @Test
    void replay_ofAJournalInTheFirstFormat_readsIt_andTheNextAppendWritesTheCurrentFormat() throws IOException {
        Files.createDirectories(file().getParent());
        byte[] payload = io.github.jwtkeyring.revocation.LedgerCodec.encode(List.of(TOKEN_REVOKED));
        java.nio.ByteBuffer v1 = java.nio.ByteBuffer.allocate(8 + 12 + payload.length);
        v1.put(FileLedgerJournal.MAGIC_V1).putInt(payload.length).putInt(crc(intBytes(payload.length)))
                .putInt(crc(payload)).put(payload);
        Files.write(file(), v1.array());
        FileLedgerJournal journal = journal();

        assertThat(journal.replay()).containsExactly(TOKEN_REVOKED);
        journal.append(List.of(SUBJECT_REVOKED));
        journal.close();

        assertThat(Arrays.copyOf(Files.readAllBytes(file()), 8)).isEqualTo(FileLedgerJournal.MAGIC);
        assertThat(journal().replay()).containsExactly(TOKEN_REVOKED, SUBJECT_REVOKED);
    }

    private static byte[] intBytes(int value) {
        return java.nio.ByteBuffer.allocate(4).putInt(value).array();
    }

    private static int crc(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    // ---------------------------------------------------------------- damage

    @Test
    void replay_withCorruptedPayloadFollowedByMoreRecords_failsNamingThePathAndLeavesTheFileUntouched()
            throws IOException {
        FileLedgerJournal journal = journal();
        journal.append(List.of(TOKEN_REVOKED));
        long secondStart = size();
        journal.append(List.of(LIVE_FAMILY));
        long secondEnd = size();
        journal.append(List.of(REFRESH_TOKEN));
        flipByte((secondStart + 8 + secondEnd) / 2, 0x20);
        byte[] damaged = Files.readAllBytes(file());

        StoreException failure = catchThrowableOfType(StoreException.class, () -> journal().replay());

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file().toString()).contains("damaged")
                .contains("byte " + secondStart);
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    @Test
    void replay_withCorruptedChecksumFollowedByMoreRecords_failsAsDamaged() throws IOException {
        long secondStart = threeRecords(TOKEN_REVOKED, LIVE_FAMILY, REFRESH_TOKEN);
        flipByte(secondStart + 5, 0x01);
        byte[] damaged = Files.readAllBytes(file());

        StoreException failure = catchThrowableOfType(StoreException.class, () -> journal().replay());

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file().toString()).contains("damaged");
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    /**
     * No write ever produces a negative record length, so a negative length followed by more records is damage, not a
     * torn write; dropping it would silently drop every later (acknowledged) revocation.
     */
    @Test
    void replay_withCorruptedLengthFollowedByMoreRecords_failsAsDamagedInsteadOfDroppingLaterRecords()
            throws IOException {
        long secondStart = threeRecords(TOKEN_REVOKED, SUBJECT_REVOKED, REFRESH_TOKEN);
        flipByte(secondStart, 0x80);
        byte[] damaged = Files.readAllBytes(file());

        StoreException failure = catchThrowableOfType(StoreException.class, () -> journal().replay());

        assertThat(failure).as("a journal that lost the revocation of %s", UNICODE_SUBJECT).isNotNull();
        assertThat(failure.getMessage()).contains(file().toString()).contains("damaged");
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    @Test
    void ledgerLoad_overADamagedJournal_failsAndLeavesTheFileUntouched() throws IOException {
        long secondStart = threeRecords(TOKEN_REVOKED, LIVE_FAMILY, REFRESH_TOKEN);
        flipByte(secondStart + 12, 0x01);
        byte[] damaged = Files.readAllBytes(file());
        TokenLedger ledger = new TokenLedger(journal(), new MutableClock(T0), settings());

        StoreException failure = catchThrowableOfType(StoreException.class, ledger::load);

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("damaged");
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    @Test
    void ledgerLoad_overAJournalWithCorruptedLength_failsInsteadOfCompactingLaterRevocationsAway() throws IOException {
        long secondStart = threeRecords(TOKEN_REVOKED, SUBJECT_REVOKED, new TokenRevoked("jti-2", T0.plusSeconds(900)));
        flipByte(secondStart, 0x80);
        byte[] damaged = Files.readAllBytes(file());
        TokenLedger ledger = new TokenLedger(journal(), new MutableClock(T0), settings());

        StoreException failure = catchThrowableOfType(StoreException.class, ledger::load);

        assertThat(failure).as("a load that forgot the revocations of %s and jti-2", UNICODE_SUBJECT).isNotNull();
        assertThat(Files.readAllBytes(file())).isEqualTo(damaged);
    }

    @Test
    void replay_ofFileWithWrongMagic_failsAndLeavesItUntouched() throws IOException {
        Files.createDirectories(file().getParent());
        byte[] foreign = "PK\u0003\u0004 this is a zip, not a journal".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file(), foreign);

        StoreException failure = catchThrowableOfType(StoreException.class, () -> journal().replay());

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file().toString()).contains("not a JWT Keyring token ledger journal")
                .contains("left untouched");
        assertThat(Files.readAllBytes(file())).isEqualTo(foreign);
    }

    @Test
    void replay_ofFileShorterThanTheMagic_failsAndLeavesItUntouched() throws IOException {
        Files.createDirectories(file().getParent());
        byte[] stub = "JWTK".getBytes(StandardCharsets.US_ASCII);
        Files.write(file(), stub);

        StoreException failure = catchThrowableOfType(StoreException.class, () -> journal().replay());

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(file().toString());
        assertThat(Files.readAllBytes(file())).isEqualTo(stub);
    }

    // ---------------------------------------------------------------- with the ledger

    @Test
    void tokenLedger_onANewJournalForTheSameFile_keepsEveryRevocationAcrossARestart() {
        MutableClock clock = new MutableClock(T0);
        LedgerNode before = LedgerNode.on(journal(), clock, settings());
        before.load();
        before.revokeToken("jti-revoked", Optional.of(T0.plusSeconds(600)));
        before.revokeSubject(UNICODE_SUBJECT);
        clock.advance(Duration.ofSeconds(2));
        before.startFamily("fam-live", "alice", Set.of("user"), "live-0");
        before.refresh("live-0", "live-1");
        before.startFamily("fam-out", "bob", Set.of(), "out-0");
        before.logout("jti-out", T0.plusSeconds(600), "fam-out");
        before.close();
        clock.advance(Duration.ofMinutes(1));

        LedgerNode after = LedgerNode.on(journal(), clock, settings());
        after.load();

        assertThat(after.rejection("jti-revoked", "alice", T0, null)).isPresent();
        assertThat(after.rejection("jti-any", UNICODE_SUBJECT, T0, null)).isPresent();
        assertThat(after.rejection("jti-out", "bob", T0, null)).isPresent();
        assertThat(after.rejection("jti-sibling", "bob", T0, "fam-out")).isPresent();
        assertThat(after.rejection("jti-fine", "alice", T0, "fam-live")).isEmpty();
        assertThat(after.family("fam-live")).isEqualTo(before.family("fam-live"));
        assertThat(after.size()).isEqualTo(before.size());
        assertThatThrownBy(() -> after.refresh("live-0", "live-x"))
                .isInstanceOf(InvalidGrantException.class);
        after.close();

        LedgerNode third = LedgerNode.on(journal(), clock, settings());
        third.load();
        assertThat(third.family("fam-live").orElseThrow().revoked()).as("the reuse detected after the restart")
                .isTrue();
        third.close();
    }

    private static LedgerSettings settings() {
        return new LedgerSettings(Duration.ofSeconds(60), Duration.ofHours(8), () -> Duration.ofMinutes(15));
    }

    private static void assumePosix() {
        Assumptions.assumeTrue(Path.of(".").getFileSystem().supportedFileAttributeViews().contains("posix"),
                "the file system knows POSIX permissions");
    }
}

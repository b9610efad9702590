package io.github.jwtkeyring.store.pkcs12;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.GroupCommit;
import io.github.jwtkeyring.revocation.LedgerCodec;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.store.AtomicFiles;

/**
 * The ledger journal as one append-only file: an 8-byte magic, a header holding the <em>acknowledged length</em> (how
 * many bytes of the file hold changes that callers were told about) with its own CRC32C, then records of
 * {@code [payload length: int][CRC32C of the length: int][CRC32C of the payload: int][payload]}, each payload a list of
 * events written together.
 * <p>
 * Changes are committed in groups: {@link #write} queues a change without I/O, and {@link #awaitDurable} returns once
 * it is on disk. The first waiter finding no write under way writes every change queued so far as one record and
 * forces it (so concurrent changes share one forced write, and a record is still all or nothing); the others wait for
 * it, or for the next. After the force the new acknowledged length goes into the header, which reaches the disk with
 * the next force or at {@link #close}. So everything up to the acknowledged length in the header was acknowledged, and a crash
 * can leave at most the record being appended incomplete, after it. {@link #replay} keeps that rule strictly: a
 * record that is cut short, zeroed or fails its checksum at the end of the file, after the acknowledged length, was
 * never acknowledged and is dropped; any defect at or before it (a damaged snapshot, a bad record, a file shorter than
 * its acknowledged length) is damage, which stops startup with a message naming the file, the offset and the way out,
 * and leaves the file byte for byte as it was. {@link #rewrite} replaces the whole file atomically (temporary file,
 * force, rename), with the acknowledged length set to its full size, so a damaged snapshot can never pass for a torn
 * append.
 * <p>
 * The way out of damage is explicit: started with {@code repairAt} set to the very offset a damage message names, the
 * journal keeps a copy of the damaged file beside it and goes on with the records before that offset.
 * <p>
 * A journal of the first format ({@code JWTKRL1}, without the header) is read with that format's rules and rewritten
 * in the current one at the next compaction. The journal holds no secret: refresh tokens appear only as SHA-256 hashes.
 * It does hold subjects and groups, so it is created readable by its owner only.
 */
public final class FileLedgerJournal implements LedgerJournal {

    private static final Logger LOG = Logger.getLogger(FileLedgerJournal.class);
    static final byte[] MAGIC = "JWTKRL2\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] MAGIC_V1 = "JWTKRL1\n".getBytes(StandardCharsets.US_ASCII);
    /** The magic, the acknowledged length (long), its CRC32C (int) and four reserved bytes. */
    static final int HEADER = MAGIC.length + 16;
    private static final int RECORD_HEADER = 12;
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    /** What reading the records found: the events up to {@code end}, and why reading stopped there, if it did. */
    private record Scan(List<LedgerEvent> events, int end, String problem, boolean tornLike) {
    }

    private final Path path;
    private final OptionalLong repairAt;
    /** The group-commit queue: {@link #flush} writes its batches. */
    private final GroupCommit commit;
    private FileChannel channel;
    private boolean broken;
    /** Where the records end after {@link #replay} dropped a torn tail; the next append cuts the tail off first. */
    private long validEnd = -1;
    /** The events of a file in the first format, rewritten in the current one before the first append. */
    private List<LedgerEvent> firstFormat;

    /**
     * @param path the journal file; created, with its directory, on the first rewrite
     */
    public FileLedgerJournal(Path path) {
        this(path, OptionalLong.empty());
    }

    /**
     * @param path the journal file; created, with its directory, on the first rewrite
     * @param repairAt the offset of damage the operator accepts losing the journal from (a copy of the damaged file is
     *        kept); empty to refuse any damage
     */
    public FileLedgerJournal(Path path, OptionalLong repairAt) {
        this.path = path.toAbsolutePath();
        this.repairAt = repairAt;
        this.commit = new GroupCommit(this.path.toString(), this::flush);
    }

    @Override
    public synchronized List<LedgerEvent> replay() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StoreException("The token ledger journal " + path + " cannot be read: " + e.getMessage(), e);
        }
        validEnd = -1;
        firstFormat = null;
        if (startsWith(bytes, MAGIC_V1)) {
            firstFormat = firstFormat(bytes);
            return firstFormat;
        }
        if (!startsWith(bytes, MAGIC)) {
            throw new StoreException("The file " + path + " is not a JWT Keyring token ledger journal (its first "
                    + "bytes are wrong). It was left untouched; move it away or set keyring.store.pkcs12.journal-path.");
        }
        long acknowledged = acknowledgedLength(bytes);
        if (acknowledged < 0) {
            return damaged(bytes, new Scan(List.of(), MAGIC.length, "its header is damaged", false));
        }
        Scan scan = scan(bytes, HEADER);
        if (scan.problem() == null) {
            if (bytes.length < acknowledged) {
                return damaged(bytes, new Scan(scan.events(), scan.end(), "the file ends at byte " + bytes.length
                        + " but its first " + acknowledged + " bytes were acknowledged", false));
            }
            return scan.events();
        }
        if (scan.end() >= acknowledged && scan.tornLike()) {
            return tornTail(scan);
        }
        return damaged(bytes, scan);
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        return bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
    }

    /** The acknowledged length from the header, or -1 if the header is cut short or fails its checksum. */
    private static long acknowledgedLength(byte[] bytes) {
        if (bytes.length < HEADER) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, MAGIC.length, 12);
        long acknowledged = header.getLong();
        int checksum = header.getInt();
        return crc(longBytes(acknowledged)) == checksum && acknowledged >= HEADER ? acknowledged : -1;
    }

    /** The first format: no header, so any defect at the very end is taken for a torn write, as that format did. */
    private List<LedgerEvent> firstFormat(byte[] bytes) {
        Scan scan = scan(bytes, MAGIC_V1.length);
        if (scan.problem() == null) {
            return scan.events();
        }
        if (scan.tornLike()) {
            return tornTail(scan);
        }
        return damaged(bytes, scan);
    }

    /** Reads records from {@code start} as far as they are complete and sound. */
    private static Scan scan(byte[] bytes, int start) {
        List<LedgerEvent> events = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(start);
        while (buffer.hasRemaining()) {
            int offset = buffer.position();
            if (buffer.remaining() < RECORD_HEADER) {
                return new Scan(events, offset, "a record header is cut short", true);
            }
            int length = buffer.getInt();
            int lengthChecksum = buffer.getInt();
            int checksum = buffer.getInt();
            if (crc(intBytes(length)) != lengthChecksum || length < 0 || length > MAX_RECORD) {
                return new Scan(events, offset, "a record header is damaged", zerosFrom(bytes, offset));
            }
            if (length > buffer.remaining()) {
                return new Scan(events, offset, "a record is cut short", true);
            }
            byte[] payload = new byte[length];
            buffer.get(payload);
            if (crc(payload) != checksum) {
                return new Scan(events, offset, "a record's checksum does not match", !buffer.hasRemaining());
            }
            try {
                events.addAll(LedgerCodec.decode(payload));
            } catch (IOException | RuntimeException e) {
                return new Scan(events, offset, "a record cannot be decoded: " + e.getMessage(), false);
            }
        }
        return new Scan(events, bytes.length, null, false);
    }

    private static boolean zerosFrom(byte[] bytes, int offset) {
        for (int i = offset; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private List<LedgerEvent> tornTail(Scan scan) {
        validEnd = scan.end();
        LOG.warnf("The token ledger journal %s ends in an incomplete entry at byte %d, after everything that was "
                + "acknowledged: a crash while it was written. That unacknowledged entry is dropped.", path, scan.end());
        return scan.events();
    }

    /**
     * Damage: refused with the way out, or, if the operator named this very offset, accepted after keeping a copy of
     * the whole file.
     */
    private List<LedgerEvent> damaged(byte[] bytes, Scan scan) {
        long offset = scan.end();
        if (repairAt.isEmpty() || repairAt.getAsLong() != offset) {
            throw new StoreException("The token ledger journal " + path + " is damaged at byte " + offset + " ("
                    + scan.problem() + "). Revocations and refresh sessions recorded from there on would be lost, so "
                    + "nothing was started and the file was left untouched. Restore the file from a backup; or, to "
                    + "start with the " + scan.events().size() + " entries before byte " + offset + " (a copy of the "
                    + "whole file is kept beside it), start once with keyring.store.pkcs12.journal-repair-at=" + offset
                    + (repairAt.isPresent() ? " (it is " + repairAt.getAsLong() + ", which is not where the damage is)"
                            : "")
                    + ".");
        }
        Path copy = path.resolveSibling(path.getFileName() + ".damaged-" + System.currentTimeMillis());
        try {
            Files.copy(path, copy, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new StoreException("The damaged token ledger journal " + path + " could not be copied to " + copy
                    + " before repairing it (" + e.getMessage() + "); nothing was changed.", e);
        }
        validEnd = offset;
        LOG.warnf("The token ledger journal %s was damaged at byte %d (%s): as keyring.store.pkcs12.journal-repair-at "
                + "asked, it goes on with the %d entries before that byte and drops the %d bytes after it. The damaged "
                + "file was copied to %s. Remove the setting.", path, offset, scan.problem(), scan.events().size(),
                bytes.length - offset, copy);
        return scan.events();
    }

    @Override
    public void append(List<LedgerEvent> events) {
        awaitDurable(write(events));
    }

    /** Queues {@code events} for the next group write; no I/O. */
    @Override
    public long write(List<LedgerEvent> events) {
        return commit.queue(events);
    }

    /**
     * Waits until {@code ticket} is durable. If no group write is under way, this caller does one for every event
     * queued so far (one record, one force); otherwise it waits for the one under way, and then, if its ticket came
     * too late for it, for the next.
     */
    @Override
    public void awaitDurable(long ticket) {
        commit.await(ticket);
    }

    @Override
    public boolean needsRecovery() {
        return commit.needsRecovery();
    }

    @Override
    public void recovered() {
        commit.recovered();
    }

    /** Writes {@code batch} as one record and forces it to disk. */
    private synchronized void flush(List<LedgerEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (broken) {
            throw new StoreException("The token ledger journal " + path + " could not be repaired after a failed "
                    + "write; restart the application.");
        }
        byte[] payload = LedgerCodec.encode(batch);
        if (payload.length > MAX_RECORD) {
            throw new StoreException("A token ledger entry of " + payload.length + " bytes is too large.");
        }
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + payload.length);
        recordHeader(record, payload).put(payload).flip();
        long size = -1;
        try {
            FileChannel open = channel();
            size = open.size();
            write(open, record, size);
            open.force(false);
        } catch (IOException e) {
            undo(size);
            throw new StoreException("The token ledger journal " + path + " could not be written (" + e.getMessage()
                    + "); the change was not made.", e);
        }
        acknowledge(size + RECORD_HEADER + payload.length);
    }

    /**
     * Records the new acknowledged length in the header, after the record it covers is on disk. It is not forced now:
     * the next append's force or {@link #close} takes it to disk, and until then the record lies after the length the
     * disk has, where a complete record is kept as well.
     */
    private void acknowledge(long length) {
        try {
            write(channel, headerSlot(length), MAGIC.length);
        } catch (IOException e) {
            broken = true;
            LOG.errorf("The token ledger journal %s could not record its acknowledged length: %s", path,
                    e.getMessage());
        }
    }

    private static void write(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Cuts a half-written record off, so that later records do not follow garbage. */
    private void undo(long size) {
        if (size < 0 || channel == null) {
            return;
        }
        try {
            channel.truncate(size);
            channel.force(false);
        } catch (IOException e) {
            broken = true;
            LOG.errorf("The token ledger journal %s could not be truncated after a failed write: %s", path,
                    e.getMessage());
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            if (!Files.exists(path) || firstFormat != null) {
                replaceFile(firstFormat == null ? List.of() : firstFormat); // the I/O claim is this caller's
            }
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (validEnd >= 0) {
                // a torn tail, or the part after accepted damage: cut off, and the header says where the records end
                channel.truncate(validEnd);
                write(channel, headerSlot(validEnd), MAGIC.length);
                channel.force(true);
                validEnd = -1;
            }
        }
        return channel;
    }

    /**
     * Replaces the journal with {@code snapshot}. The writer takes it under its own lock from its memory, which holds
     * every event queued for a group write too: once the snapshot is in place, those are durable with it.
     */
    @Override
    public void rewrite(List<LedgerEvent> snapshot) {
        commit.exclusively(queued -> replaceFile(snapshot));
    }

    private synchronized void replaceFile(List<LedgerEvent> snapshot) {
        byte[] payload = LedgerCodec.encode(snapshot);
        int length = HEADER + RECORD_HEADER + payload.length;
        ByteBuffer file = ByteBuffer.allocate(length);
        file.put(MAGIC).put(headerSlot(length));
        recordHeader(file, payload).put(payload);
        AtomicFiles.replace(path, file.array(), "token ledger journal");
        closeChannel();
        broken = false;
        validEnd = -1;
        firstFormat = null;
    }

    private static ByteBuffer headerSlot(long acknowledged) {
        return ByteBuffer.allocate(16).putLong(acknowledged).putInt(crc(longBytes(acknowledged))).putInt(0).flip();
    }

    private static ByteBuffer recordHeader(ByteBuffer buffer, byte[] payload) {
        return buffer.putInt(payload.length).putInt(crc(intBytes(payload.length))).putInt(crc(payload));
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Override
    public String describe() {
        return "journal file " + path;
    }

    /** Writes what is queued, forces the acknowledged length to disk and releases the file. */
    @Override
    public void close() {
        try {
            commit.exclusively(this::flush);
        } catch (StoreException e) {
            LOG.warnf("The token ledger journal %s could not record its last changes at close: %s", path,
                    e.getMessage());
        }
        closeFile();
    }

    private synchronized void closeFile() {
        if (channel != null) {
            try {
                channel.force(true);
            } catch (IOException e) {
                LOG.warnf("The token ledger journal %s could not force its header at close: %s", path, e.getMessage());
            }
        }
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // every record was forced before it was acknowledged; the header follows at the next start's rewrite
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "FileLedgerJournal[" + path + "]";
    }
}

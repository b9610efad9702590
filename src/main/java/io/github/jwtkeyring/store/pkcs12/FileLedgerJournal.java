package io.github.jwtkeyring.store.pkcs12;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.jboss.logging.Logger;

import io.github.jwtkeyring.keys.StoreException;
import io.github.jwtkeyring.revocation.LedgerCodec;
import io.github.jwtkeyring.revocation.LedgerEvent;
import io.github.jwtkeyring.revocation.LedgerJournal;
import io.github.jwtkeyring.store.AtomicFiles;

/**
 * The ledger journal as one append-only file: an 8-byte magic, then records of
 * {@code [payload length: int][CRC32C of the length: int][CRC32C of the payload: int][payload]}, each payload a list
 * of events written together.
 * <p>
 * Each {@link #append} writes one record and forces it to disk before returning, so only the last record can be torn
 * by a crash. {@link #replay} drops a torn last record (its change was never acknowledged): a record cut short, whose
 * checked header claims more bytes than the file has or whose payload checksum fails at the very end, or a tail of
 * zeros as some file systems leave. Anything else that fails a check (a bad header followed by data, a bad record
 * followed by more records) is damage, and stops the application with a clear error instead of silently losing the
 * revocations after it. {@link #rewrite} replaces the file atomically, like the PKCS#12 keystore.
 * <p>
 * The journal holds no secret: refresh tokens appear only as SHA-256 hashes. It does hold subjects and groups, so it
 * is created readable by its owner only.
 */
public final class FileLedgerJournal implements LedgerJournal {

    private static final Logger LOG = Logger.getLogger(FileLedgerJournal.class);
    static final byte[] MAGIC = "JWTKRL1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int RECORD_HEADER = 12;
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private final Path path;
    private FileChannel channel;
    private boolean broken;
    /** Where the records end after {@link #replay} dropped a torn tail; the next append cuts the tail off first. */
    private long validEnd = -1;

    /**
     * @param path the journal file; created, with its directory, on the first rewrite
     */
    public FileLedgerJournal(Path path) {
        this.path = path.toAbsolutePath();
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
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new StoreException("The file " + path + " is not a JWT Keyring token ledger journal (its first "
                    + "bytes are wrong). It was left untouched; move it away or set keyring.store.pkcs12.journal-path.");
        }
        validEnd = -1;
        return records(bytes);
    }

    private List<LedgerEvent> records(byte[] bytes) {
        List<LedgerEvent> events = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(MAGIC.length);
        while (buffer.hasRemaining()) {
            int start = buffer.position();
            if (buffer.remaining() < RECORD_HEADER) {
                return tornTail(events, start);
            }
            int length = buffer.getInt();
            int lengthChecksum = buffer.getInt();
            int checksum = buffer.getInt();
            if (crc(lengthBytes(length)) != lengthChecksum || length < 0 || length > MAX_RECORD) {
                if (zerosFrom(bytes, start)) {
                    return tornTail(events, start);
                }
                throw damaged(start, "its header is damaged", null);
            }
            if (length > buffer.remaining()) {
                return tornTail(events, start);
            }
            byte[] payload = new byte[length];
            buffer.get(payload);
            if (crc(payload) != checksum) {
                if (!buffer.hasRemaining()) {
                    return tornTail(events, start);
                }
                throw damaged(start, "its checksum does not match", null);
            }
            try {
                events.addAll(LedgerCodec.decode(payload));
            } catch (IOException | RuntimeException e) {
                throw damaged(start, e.getMessage(), e);
            }
        }
        return events;
    }

    private static boolean zerosFrom(byte[] bytes, int offset) {
        for (int i = offset; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private List<LedgerEvent> tornTail(List<LedgerEvent> events, int offset) {
        validEnd = offset;
        LOG.warnf("The token ledger journal %s ends in an incomplete entry at byte %d, left by a crash while it was "
                + "written; that unacknowledged entry is dropped.", path, offset);
        return events;
    }

    private StoreException damaged(int offset, String reason, Throwable cause) {
        return new StoreException("The token ledger journal " + path + " is damaged at byte " + offset + " (" + reason
                + "). It was left untouched; restore it from a backup, or move it away to start with no revocations.",
                cause);
    }

    @Override
    public synchronized void append(List<LedgerEvent> events) {
        if (broken) {
            throw new StoreException("The token ledger journal " + path + " could not be repaired after a failed "
                    + "write; restart the application.");
        }
        byte[] payload = LedgerCodec.encode(events);
        if (payload.length > MAX_RECORD) {
            throw new StoreException("A token ledger entry of " + payload.length + " bytes is too large.");
        }
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + payload.length);
        header(record, payload).put(payload).flip();
        long size = -1;
        try {
            FileChannel open = channel();
            size = open.size();
            open.position(size);
            while (record.hasRemaining()) {
                open.write(record);
            }
            open.force(false);
        } catch (IOException e) {
            undo(size);
            throw new StoreException("The token ledger journal " + path + " could not be written (" + e.getMessage()
                    + "); the change was not made.", e);
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
            if (!Files.exists(path)) {
                rewrite(List.of());
            }
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
            if (validEnd >= 0 && channel.size() > validEnd) {
                channel.truncate(validEnd);
                channel.force(false);
            }
            validEnd = -1;
        }
        return channel;
    }

    @Override
    public synchronized void rewrite(List<LedgerEvent> snapshot) {
        byte[] payload = LedgerCodec.encode(snapshot);
        ByteBuffer file = ByteBuffer.allocate(MAGIC.length + RECORD_HEADER + payload.length);
        header(file.put(MAGIC), payload).put(payload);
        AtomicFiles.replace(path, file.array(), "token ledger journal");
        closeChannel();
        broken = false;
        validEnd = -1;
    }

    private static ByteBuffer header(ByteBuffer buffer, byte[] payload) {
        return buffer.putInt(payload.length).putInt(crc(lengthBytes(payload.length))).putInt(crc(payload));
    }

    private static byte[] lengthBytes(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
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

    @Override
    public synchronized void close() {
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was pending: every append forced its data before returning
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "FileLedgerJournal[" + path + "]";
    }
}

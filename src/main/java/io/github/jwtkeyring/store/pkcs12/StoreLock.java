package io.github.jwtkeyring.store.pkcs12;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import io.github.jwtkeyring.keys.StoreException;

/**
 * One store, one process: an exclusive lock on a file beside the keystore ({@code keyring.p12.lock}), held from
 * startup until the storage is closed (or the process ends, when the operating system releases it, after a crash
 * too). The file names its holder, so that a second process can say which one is in the way.
 */
final class StoreLock implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the store of {@code keystore}.
     *
     * @throws StoreException naming the lock file and its holder if another process holds it
     */
    static StoreLock acquire(Path keystore) {
        Path file = keystore.resolveSibling(keystore.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = holder(file);
                channel.close();
                throw new StoreException("The key store " + keystore + " is in use by another process (" + holder
                        + ", holding " + file + "). One PKCS#12 store serves one process: stop the other one, give "
                        + "this one a store of its own, or run several nodes on one shared store with "
                        + "keyring.store.type=jdbc.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new StoreLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("The lock file " + file + " of the key store cannot be used: " + e.getMessage(),
                    e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this very process holds it already, through another storage of the same file
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "holder unknown" : text;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static String describeThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "an unknown host";
        }
        return "process " + ProcessHandle.current().pid() + " on " + host + ", since " + Instant.now();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing releases nothing more
            }
        }
    }

    /** Releases the lock; the file stays, so that no other process ever locks a file this one is about to delete. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "StoreLock[" + file + "]";
    }
}

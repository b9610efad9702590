package io.github.jwtkeyring.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import io.github.jwtkeyring.keys.StoreException;

/**
 * Replaces a file so that a crash leaves either the old content or the new one: a temporary file beside it, created
 * owner-only, written and forced to disk, renamed over the target atomically, then the directory forced.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with {@code bytes}.
     *
     * @param what what the file holds, for error messages, e.g. "key ring"
     * @throws StoreException if the file could not be replaced; its old content is then still in place
     */
    public static void replace(Path target, byte[] bytes, String what) {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = directory.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(directory);
            writeDurably(temp, bytes);
            move(temp, target);
            forceDirectory(directory);
        } catch (IOException e) {
            throw new StoreException("The " + what + " could not be written to " + target + " (" + e.getMessage()
                    + "); the previous " + what + " is still stored.", e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        // owner read/write from the moment the file exists, where the file system knows POSIX permissions
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new StoreException("The file system of " + target + " cannot replace files atomically; "
                    + "put it on a local file system.", e);
        }
    }

    /** Forces a directory's entries (a rename) to disk, where the platform can open directories. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms cannot open directories; the rename itself is atomic there
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is harmless: it is never read
        }
    }
}

package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Crash-safe file changes: a record is written to a temporary file, forced to disk, then renamed
 * over the old one, so a reader (kiscsi or iscsiadm) sees the old record or the new one, never a
 * part. Temporary files live in {@code .kiscsi/tmp} on the same file system (rename is atomic
 * across directories there) rather than beside the record, because open-iscsi reads every file in
 * a portal directory as a record. Files are 0600 and directories 0700, as open-iscsi's umask makes them.
 */
public final class AtomicFiles {
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path tempDir;

    public AtomicFiles(Path tempDir) {
        this.tempDir = tempDir;
    }

    /** Replaces {@code file} with {@code content} in one step, creating its directories. */
    public void write(Path file, byte[] content) throws IOException {
        mkdirs(file.getParent());
        mkdirs(tempDir);
        Path tmp = tempDir.resolve(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    fileMode())) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " to " + file
                        + " in one step: keep the store and its .kiscsi directory on one file system", e);
            }
            syncDir(file.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates a directory and its parents with mode 0700 (existing ones are left as they are). */
    public static void mkdirs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            mkdirs(parent);
        }
        try {
            Files.createDirectory(dir, dirMode());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + " exists and is not a directory", e);
            }
        }
    }

    /** Deletes a file or link; whether it was there. */
    public static boolean delete(Path file) throws IOException {
        return Files.deleteIfExists(file);
    }

    /** Removes {@code dir} if it is empty; quietly leaves it otherwise. */
    public static void removeIfEmpty(Path dir) {
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // not empty, or gone: either way nothing to do
        }
    }

    /** Makes a rename durable: the directory entry is on disk once its directory is forced. */
    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open or force a directory; the rename itself is still atomic
        }
    }

    /** Deletes what a writer that died between writing and renaming left behind (call under the lock). */
    public void removeLeftovers() throws IOException {
        for (Path p : StoreLayout.list(tempDir)) {
            try {
                Files.deleteIfExists(p);
            } catch (NoSuchFileException e) {
                // another cleaner was first
            }
        }
    }

    private static FileAttribute<?> fileMode() {
        return PosixFilePermissions.asFileAttribute(FILE_MODE);
    }

    private static FileAttribute<?> dirMode() {
        return PosixFilePermissions.asFileAttribute(DIR_MODE);
    }
}

package org.kiscsi.launcher.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file locked by this process for as long as it runs, holding its pid: the pid file, and the lock
 * on the installation's data directory. Taken with {@code tryLock}, never waited for, so a second
 * daemon refuses at once and says which pid holds the lock (iscsid's {@code lockf(F_TLOCK)}).
 *
 * <p>POSIX drops every lock a process holds on a file when that process closes <em>any</em>
 * descriptor of it: nothing else in this JVM may open these files while the lock is held.
 */
public final class ProcessLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Another live process holds the lock; the message names the file and that process's pid. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;

        public HeldException(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code file} (created 0600, its missing parent directories 0700) and writes this
     * process's pid into it.
     *
     * @param what what the lock guards, for the message ("pid file", "data directory lock")
     * @throws HeldException when another process holds it
     * @throws IOException when the file cannot be created or written; the message names it
     */
    public static ProcessLock acquire(Path file, String what) throws HeldException, IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (FileAlreadyExistsException e) {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot open the " + what + " " + file + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM already holds it: just as taken
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock the " + what + " " + file + ": " + e, e);
        }
        if (lock == null) {
            String pid = readPid(ch);
            ch.close();
            throw new HeldException("the " + what + " " + file + " is locked by a running iscsid (pid " + pid
                    + "); not starting a second daemon");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot write the pid into the " + what + " " + file + ": " + e, e);
        }
        return new ProcessLock(file, ch, lock);
    }

    /** The pid the holder wrote, or "unknown" while it has not written it yet. */
    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return s.matches("\\d+") ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // created meanwhile
        }
    }

    public Path file() {
        return file;
    }

    /** Removes the file, then releases the lock: a daemon that stopped leaves no pid file behind. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } finally {
                channel.close();
            }
        }
    }
}

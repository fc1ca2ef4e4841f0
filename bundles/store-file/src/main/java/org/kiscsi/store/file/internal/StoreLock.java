package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises writers of one store root: threads of this JVM through a lock shared by every store
 * on the root, processes through an exclusive {@link FileChannel#lock()} (fcntl) on
 * {@code .kiscsi/lock}. The kernel drops a process's lock when it dies, so a crash never leaves the
 * store locked; open-iscsi's own lock ({@code link()} of /run/lock/iscsi/lock to lock.write) stays
 * behind after a crash and is one per machine, not per root. Callers hold the lock only around
 * short local file work, never while waiting on the network.
 */
public final class StoreLock {
    private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
    private static final long WAIT_SECONDS = 30;

    private final Path lockFile;
    private final ReentrantLock threads;

    public StoreLock(Path lockFile) {
        this.lockFile = lockFile;
        this.threads = IN_JVM.computeIfAbsent(lockFile, p -> new ReentrantLock());
    }

    /** A held lock; closing it releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock, waiting at most 30 s (holders keep it only for a few file operations, so a
     * longer wait means a stuck process, which the message names by the lock file).
     */
    public Held acquire() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try {
            if (!threads.tryLock(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("timed out after " + WAIT_SECONDS + " s waiting for the store lock " + lockFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the store lock " + lockFile, e);
        }
        if (threads.getHoldCount() > 1) {
            return threads::unlock;
        }
        try {
            AtomicFiles.mkdirs(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(AtomicFiles.FILE_MODE));
            FileLock lock;
            try {
                lock = lockWithin(ch, deadline);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return () -> {
                try {
                    lock.release();
                    ch.close();
                } catch (IOException e) {
                    // closing the channel releases the lock anyway
                } finally {
                    threads.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            threads.unlock();
            throw e;
        }
    }

    private FileLock lockWithin(FileChannel ch, long deadline) throws IOException {
        while (true) {
            try {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // this JVM holds it through another path to the same file: wait as for another process
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("timed out after " + WAIT_SECONDS + " s waiting for the store lock " + lockFile
                        + " (held by another process)");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the store lock " + lockFile, e);
            }
        }
    }
}

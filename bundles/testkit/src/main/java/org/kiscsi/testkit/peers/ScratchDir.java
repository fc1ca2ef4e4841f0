package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A private directory a peer keeps its runtime files in (control socket, PID file, LUN images,
 * captures); {@link #close()} deletes it with everything inside, and so does the JVM shutdown
 * hook if nobody closed it.
 */
public final class ScratchDir implements AutoCloseable {
    private final Path path;
    private final ShutdownCleanup.Handle cleanup;

    private ScratchDir(Path path) {
        this.path = path;
        this.cleanup = ShutdownCleanup.register("delete " + path, () -> deleteTree(path));
    }

    /** A new directory under java.io.tmpdir. */
    public static ScratchDir create(String prefix) {
        return createIn(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** A new directory under {@code parent} (e.g. /dev/shm for LUN images in RAM). */
    public static ScratchDir createIn(Path parent, String prefix) {
        try {
            return new ScratchDir(Files.createTempDirectory(parent, prefix));
        } catch (IOException e) {
            throw new PeerException("cannot create a scratch directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes the directory and its contents; throws when something could not be deleted. */
    @Override
    public void close() {
        deleteTree(path);
        cleanup.done();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new PeerException("cannot delete " + root + ": " + e, e);
        }
    }

    private static void deleteIfExists(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // a daemon removed it meanwhile
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}

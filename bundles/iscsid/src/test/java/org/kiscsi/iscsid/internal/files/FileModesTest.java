package org.kiscsi.iscsid.internal.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files 0600, directories 0700, whatever the JVM's umask (usually 022 in tests). */
class FileModesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void newDirectoriesAre0700() throws Exception {
        FileModes.createDirectories(dir.resolve("a/b/c"));
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(dir.resolve("a/b")));
        assertEquals("rwx------", mode(dir.resolve("a/b/c")));
    }

    @Test
    void filesAreWrittenAtomicallyAs0600() throws Exception {
        Path f = dir.resolve("sub/list");
        FileModes.writeAtomically(f, "one\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", mode(f));
        assertEquals("rwx------", mode(dir.resolve("sub")));
        FileModes.writeAtomically(f, "two\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("two\n", Files.readString(f));
        assertEquals("rw-------", mode(f));
        try (var s = Files.list(dir.resolve("sub"))) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void anOpenDirectoryIsMadePrivate() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(FileModes.ensurePrivateDirectory(run));
        assertEquals("rwx------", mode(run));
        assertFalse(FileModes.ensurePrivateDirectory(run), "already private");
    }
}

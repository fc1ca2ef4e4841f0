package org.kiscsi.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pid-file and data-directory locks, held by one process and refused to another. */
class ProcessLockTest {
    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts a second JVM on the test class path holding (or trying) the lock; returns its first line. */
    private String startHolder(Path lockFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                lockFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertNotNull(line, "the lock holder said nothing");
        return line;
    }

    @Test
    void aSecondProcessIsRefusedWithTheLockAndTheHoldersPid() throws Exception {
        Path pidFile = dir.resolve("run/iscsid.pid");
        assertEquals("LOCKED", startHolder(pidFile));
        assertEquals(Long.toString(child.pid()), Files.readString(pidFile).trim());

        ProcessLock.HeldException e = assertThrows(ProcessLock.HeldException.class,
                () -> ProcessLock.acquire(pidFile, "pid file"));
        assertTrue(e.getMessage().contains(pidFile.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("pid " + child.pid()), e.getMessage());
        // the refused attempt left the holder's pid in place
        assertEquals(Long.toString(child.pid()), Files.readString(pidFile).trim());

        child.getOutputStream().close();
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "holder did not exit");
        assertEquals(0, child.exitValue());
        assertFalse(Files.exists(pidFile), "the holder did not remove its pid file");

        try (ProcessLock mine = ProcessLock.acquire(pidFile, "pid file")) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pidFile).trim());
        }
        assertFalse(Files.exists(pidFile));
    }

    @Test
    void aLockHeldHereIsRefusedToAnotherProcess() throws Exception {
        Path lockFile = dir.resolve("data/iscsid.lock");
        try (ProcessLock mine = ProcessLock.acquire(lockFile, "data directory lock")) {
            String answer = startHolder(lockFile);
            assertTrue(answer.startsWith("HELD "), answer);
            assertTrue(answer.contains("pid " + ProcessHandle.current().pid()), answer);
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
            assertTrue(Files.exists(lockFile), "a refused process must not remove the holder's file");
        }
    }

    @Test
    void theLauncherRefusesASecondDaemonOnTheSameInstallEvenWithoutAPidFile() throws Exception {
        System.setProperty("karaf.base", dir.toString());
        System.setProperty("karaf.data", dir.resolve("data").toString());
        try {
            assertEquals("LOCKED", startHolder(dir.resolve("data/iscsid.lock")));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = new IscsidLauncher(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"-n"});
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, rc, e);
            assertTrue(e.contains("data directory lock of this installation " + dir.resolve("data/iscsid.lock")), e);
            assertTrue(e.contains("(pid " + child.pid() + ")"), e);

            // with a pid file of its own, the refused launcher removes that, not the holder's
            Path otherPid = dir.resolve("other.pid");
            assertEquals(1, new IscsidLauncher(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()))
                    .run(new String[] {"-p", otherPid.toString()}));
            assertFalse(Files.exists(otherPid));
            assertTrue(Files.exists(dir.resolve("data/iscsid.lock")));
        } finally {
            System.clearProperty("karaf.base");
            System.clearProperty("karaf.data");
        }
    }

    @Test
    void theLauncherRefusesASecondDaemonOnTheSamePidFile() throws Exception {
        Path pidFile = dir.resolve("shared/iscsid.pid");
        System.setProperty("karaf.base", dir.resolve("another-install").toString());
        try {
            assertEquals("LOCKED", startHolder(pidFile));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = new IscsidLauncher(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8))
                    .run(new String[] {"--pid=" + pidFile});
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, rc, e);
            assertTrue(e.contains("the pid file " + pidFile + " is locked by a running iscsid (pid " + child.pid() + ")"), e);
            assertFalse(Files.exists(dir.resolve("another-install/data/iscsid.lock")), "refused before the data lock");
        } finally {
            System.clearProperty("karaf.base");
        }
    }

    @Test
    void aStaleFileOfADeadProcessIsTakenOver() throws Exception {
        Path pidFile = dir.resolve("iscsid.pid");
        Files.writeString(pidFile, "999999\n");
        try (ProcessLock mine = ProcessLock.acquire(pidFile, "pid file")) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pidFile).trim());
        }
    }

    @Test
    void newFilesAre0600AndNewDirectories0700() throws Exception {
        Path pidFile = dir.resolve("a/b/iscsid.pid");
        try (ProcessLock mine = ProcessLock.acquire(pidFile, "pid file")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pidFile)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));
        }
    }
}

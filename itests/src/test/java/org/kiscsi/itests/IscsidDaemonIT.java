package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * bin/iscsid and bin/iscsiadm on the assembled distribution, as a user runs them: unpacked once for
 * the class into a temporary directory (its own etc/ given free SSH, RMI and JMX ports), every
 * daemon a test starts stopped again (killed by pid if a test fails half-way).
 */
public class IscsidDaemonIT {
    private static final long START_TIMEOUT_S = 150;
    private static Path tmp;
    private static Path home;

    private final List<Long> started = new ArrayList<>();
    private Process foreground;

    @BeforeClass
    public static void unpack() throws Exception {
        String assembly = System.getProperty("kiscsi.assembly");
        if (assembly == null || !new File(assembly).isFile()) {
            throw new IllegalStateException("kiscsi.assembly does not name the built distribution: " + assembly
                    + " (build karaf-assembly first)");
        }
        tmp = Files.createTempDirectory("kiscsi-it-");
        Result tar = exec(tmp, 60, "tar", "-xzf", assembly, "-C", tmp.toString());
        assertEquals("tar: " + tar.output, 0, tar.exit);
        try (Stream<Path> s = Files.list(tmp)) {
            home = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        setLine(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", freePort());
        setLine(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", freePort());
        setLine(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", freePort());
    }

    @AfterClass
    public static void removeInstall() throws IOException {
        if (tmp != null) {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Stops whatever a test left running: the foreground process, daemons by pid, then their pid file's. */
    @After
    public void stopDaemons() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        readPid(home.resolve("run/iscsid.pid")).ifPresent(started::add);
        for (long pid : started) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            // only a java process: a pid reused by something else since is left alone
            if (p.isPresent() && p.get().isAlive() && p.get().info().command().orElse("").contains("java")) {
                p.get().destroyForcibly();
                p.get().onExit().get(30, TimeUnit.SECONDS);
            }
        }
        Files.deleteIfExists(home.resolve("run/iscsid.pid"));
        Files.deleteIfExists(home.resolve("run/iscsid.sock"));
    }

    @Test
    public void flagsThatStartNothing() throws Exception {
        Result help = bin("iscsid", "-h");
        assertEquals(help.output, 0, help.exit);
        assertTrue(help.output, help.output.startsWith("Usage: iscsid [OPTION]"));
        Result version = bin("iscsid", "--version");
        assertEquals(0, version.exit);
        assertTrue(version.output, version.output.matches("iscsid version \\d+\\.\\d+\\.\\d+\\S*\\n"));
        Result bogus = bin("iscsid", "--bogus");
        assertEquals(bogus.output, 1, bogus.exit);
        assertTrue(bogus.output, bogus.output.contains("unrecognized option '--bogus'"));
        assertTrue(bogus.output, bogus.output.contains("Usage: iscsid"));
        assertFalse("a bad flag must start nothing", Files.exists(home.resolve("run/iscsid.pid")));
        Result both = bin("iscsid", "-n", "-p", "/tmp/x.pid");
        assertEquals(1, both.exit);
    }

    @Test
    public void aBackgroundStartReturnsOnceTheDaemonAnswersAndIscsiadmStopsIt() throws Exception {
        long pid = startBackground();
        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output, 0, status.exit);
        assertTrue(status.output, status.output.contains("iscsid.state = running\n"));
        assertTrue(status.output, status.output.contains("node_store.state = open\n"));
        assertTrue(status.output, status.output.contains("providers.session_engine = present\n"));
        assertTrue(status.output, status.output.contains("iscsid.pid_file = " + home.resolve("run/iscsid.pid") + "\n"));
        assertEquals(Optional.of(pid), readPid(home.resolve("run/iscsid.pid")));

        Result stop = bin("iscsiadm", "-k", "0");
        assertEquals(stop.output, 0, stop.exit);
        assertFalse("the daemon's process is still there after iscsiadm -k 0",
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse("pid file left behind", Files.exists(home.resolve("run/iscsid.pid")));
        assertFalse("socket left behind", Files.exists(home.resolve("run/iscsid.sock")));
        Result gone = bin("iscsiadm", "-m", "daemon");
        assertEquals(gone.output, 20, gone.exit);
    }

    @Test
    public void aSecondDaemonIsRefusedNamingTheLockAndThePidAndTheFirstKeepsRunning() throws Exception {
        long pid = startBackground();
        Path pidFile = home.resolve("run/iscsid.pid");

        Result samePidFile = bin("iscsid");
        assertNotEquals(samePidFile.output, 0, samePidFile.exit);
        assertTrue(samePidFile.output, samePidFile.output.contains(
                "the pid file " + pidFile + " is locked by a running iscsid (pid " + pid + ")"));

        Result sameInstall = bin("iscsid", "-n");
        assertNotEquals(sameInstall.output, 0, sameInstall.exit);
        assertTrue(sameInstall.output, sameInstall.output.contains("the data directory lock of this installation "
                + home.resolve("data/iscsid.lock") + " is locked by a running iscsid (pid " + pid + ")"));

        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output, 0, status.exit);
        assertTrue("the first daemon must keep running: " + status.output, status.output.contains("iscsid.pid = " + pid + "\n"));
        assertEquals(Optional.of(pid), readPid(pidFile));
        assertEquals(0, bin("iscsiadm", "-k", "0").exit);
    }

    @Test
    public void theForegroundStopsOnSigtermWithStatus0AndRemovesItsPidFile() throws Exception {
        Path logging = home.resolve("etc/org.ops4j.pax.logging.cfg");
        String loggingBefore = Files.readString(logging);
        Path stderr = tmp.resolve("foreground.err");
        foreground = command(home, "bin/iscsid", "-f", "-d", "1").redirectErrorStream(false)
                .redirectOutput(tmp.resolve("foreground.out").toFile()).redirectError(stderr.toFile()).start();
        started.add(foreground.pid());
        Result status = awaitStatus(foreground);
        assertTrue(status.output, status.output.contains("iscsid.pid = " + foreground.pid() + "\n"));
        assertTrue(status.output, status.output.contains("iscsid.debug = 1\n"));
        assertTrue(Files.exists(home.resolve("run/iscsid.pid")));

        foreground.destroy(); // SIGTERM
        assertTrue("no exit within 60 s of SIGTERM", foreground.waitFor(60, TimeUnit.SECONDS));
        assertEquals(Files.readString(stderr), 0, foreground.exitValue());
        assertFalse("pid file left behind", Files.exists(home.resolve("run/iscsid.pid")));
        String err = Files.readString(stderr);
        assertTrue("-f logs to stderr, -d 1 at debug level: " + tail(err),
                err.contains("signals: SIGTERM and SIGINT stop the daemon in order"));
        assertTrue(tail(err), err.contains("iscsid stopped"));
        assertEquals("flags are never written into etc/", loggingBefore, Files.readString(logging));
    }

    @Test
    public void aDaemonStartedWithAMissingInitiatorNameFileWarnsAndRuns() throws Exception {
        Path missing = tmp.resolve("no-such-dir/initiatorname.iscsi");
        long pid = startBackground("-i", missing.toString());
        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output, 0, status.exit);
        assertTrue(status.output, status.output.contains("iscsid.state = running\n"));
        assertTrue(status.output, status.output.contains("initiator.name = <not set>\n"));
        String log = Files.readString(home.resolve("data/log/karaf.log"));
        assertTrue("no warning naming the missing file in karaf.log",
                log.contains("WARN") && log.contains("initiator name file " + missing
                        + " does not exist: logins and discovery may fail"));
        assertEquals(0, bin("iscsiadm", "-k", "0").exit);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void aFatalStartUpErrorEndsTheRunWithItsStatusAndReason() throws Exception {
        Path bad = tmp.resolve("bad-iscsid.conf");
        Files.writeString(bad, "node.startup = manual\nnode.session.cmds_max\n");
        Result r = bin("iscsid", "-c", bad.toString());
        readPid(home.resolve("run/iscsid.pid")).ifPresent(started::add);
        assertEquals("INVAL, as the daemon reported it: " + r.output, 7, r.exit);
        assertTrue(r.output, r.output.contains("iscsid: iscsid.conf has errors: " + bad + ":2: expected 'key = value'"));
        assertFalse("pid file left behind", Files.exists(home.resolve("run/iscsid.pid")));
        assertFalse("socket left behind", Files.exists(home.resolve("run/iscsid.sock")));
    }

    // ---- helpers ----

    /** bin/iscsid in the background; returns the daemon's pid once it answers. */
    private long startBackground(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("iscsid"));
        cmd.addAll(Arrays.asList(flags));
        Result r = bin(cmd.toArray(new String[0]));
        readPid(home.resolve("run/iscsid.pid")).ifPresent(started::add);
        assertEquals("bin/iscsid: " + r.output, 0, r.exit);
        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output, 0, status.exit);
        long pid = Long.parseLong(status.output.lines().filter(l -> l.startsWith("iscsid.pid = ")).findFirst()
                .orElseThrow().substring("iscsid.pid = ".length()));
        started.add(pid);
        return pid;
    }

    /** Polls bin/iscsiadm -m daemon until the daemon answers (or the process died, or time is up). */
    private Result awaitStatus(Process daemon) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        Result last = null;
        while (System.nanoTime() < end) {
            assertTrue("the daemon died: " + (last == null ? "" : last.output), daemon.isAlive());
            if (Files.exists(home.resolve("run/iscsid.sock"))) {
                last = bin("iscsiadm", "-m", "daemon");
                if (last.exit == 0) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the daemon did not answer within " + START_TIMEOUT_S + " s");
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String tail(String s) {
        return s.length() <= 3000 ? s : "..." + s.substring(s.length() - 3000);
    }

    record Result(int exit, String output) {
    }

    private static Result bin(String... cmd) throws Exception {
        String[] full = cmd.clone();
        full[0] = "bin/" + cmd[0];
        return exec(home, START_TIMEOUT_S, full);
    }

    private static ProcessBuilder command(Path dir, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }

    /** Runs a command to its end (bounded), output and errors together in a file (daemons may inherit pipes). */
    private static Result exec(Path dir, long timeoutS, String... cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "exec-", ".out");
        Process p = command(dir, cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutS + " s: "
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }

    private static void setLine(Path cfg, String key, int value) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String l : Files.readAllLines(cfg)) {
            if (l.matches("\\s*" + key + "\\s*=.*")) {
                l = key + " = " + value;
                found = true;
            }
            lines.add(l);
        }
        if (!found) {
            lines.add(key + " = " + value);
        }
        Files.write(cfg, lines);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

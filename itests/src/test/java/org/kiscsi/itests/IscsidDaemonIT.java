package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.kiscsi.itests.UnpackedDistribution.readPid;
import static org.kiscsi.itests.UnpackedDistribution.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Result;

/**
 * bin/iscsid and bin/iscsiadm on the assembled distribution, as a user runs them: unpacked once for
 * the class into a temporary directory (its own etc/ given free SSH, RMI and JMX ports), every
 * daemon a test starts stopped again (killed by pid if a test fails half-way).
 */
public class IscsidDaemonIT {
    private static UnpackedDistribution dist;
    private static Path tmp;
    private static Path home;

    private Process foreground;

    @BeforeClass
    public static void unpack() throws Exception {
        dist = UnpackedDistribution.unpack();
        tmp = dist.tmp();
        home = dist.home();
    }

    @AfterClass
    public static void removeInstall() throws IOException {
        if (dist != null) {
            dist.close();
        }
    }

    /** Stops whatever a test left running: the foreground process, then every daemon started. */
    @After
    public void stopDaemons() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        dist.stopDaemons();
    }

    @Test
    public void flagsThatStartNothing() throws Exception {
        Result help = bin("iscsid", "-h");
        assertEquals(help.output(), 0, help.exit());
        assertTrue(help.output(), help.output().startsWith("Usage: iscsid [OPTION]"));
        Result version = bin("iscsid", "--version");
        assertEquals(0, version.exit());
        assertTrue(version.output(), version.output().matches("iscsid version \\d+\\.\\d+\\.\\d+\\S*\\n"));
        Result bogus = bin("iscsid", "--bogus");
        assertEquals(bogus.output(), 1, bogus.exit());
        assertTrue(bogus.output(), bogus.output().contains("unrecognized option '--bogus'"));
        assertTrue(bogus.output(), bogus.output().contains("Usage: iscsid"));
        assertFalse("a bad flag must start nothing", Files.exists(home.resolve("run/iscsid.pid")));
        Result both = bin("iscsid", "-n", "-p", "/tmp/x.pid");
        assertEquals(1, both.exit());
    }

    @Test
    public void aBackgroundStartReturnsOnceTheDaemonAnswersAndIscsiadmStopsIt() throws Exception {
        long pid = startBackground();
        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output(), 0, status.exit());
        assertTrue(status.output(), status.output().contains("iscsid.state = running\n"));
        assertTrue(status.output(), status.output().contains("node_store.state = open\n"));
        assertTrue(status.output(), status.output().contains("providers.session_engine = present\n"));
        assertTrue(status.output(), status.output().contains("iscsid.pid_file = " + home.resolve("run/iscsid.pid") + "\n"));
        assertEquals(Optional.of(pid), readPid(home.resolve("run/iscsid.pid")));

        Result stop = bin("iscsiadm", "-k", "0");
        assertEquals(stop.output(), 0, stop.exit());
        assertFalse("the daemon's process is still there after iscsiadm -k 0",
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse("pid file left behind", Files.exists(home.resolve("run/iscsid.pid")));
        assertFalse("socket left behind", Files.exists(home.resolve("run/iscsid.sock")));
        Result gone = bin("iscsiadm", "-m", "daemon");
        assertEquals(gone.output(), 20, gone.exit());
    }

    @Test
    public void aSecondDaemonIsRefusedNamingTheLockAndThePidAndTheFirstKeepsRunning() throws Exception {
        long pid = startBackground();
        Path pidFile = home.resolve("run/iscsid.pid");

        Result samePidFile = bin("iscsid");
        assertNotEquals(samePidFile.output(), 0, samePidFile.exit());
        assertTrue(samePidFile.output(), samePidFile.output().contains(
                "the pid file " + pidFile + " is locked by a running iscsid (pid " + pid + ")"));

        Result sameInstall = bin("iscsid", "-n");
        assertNotEquals(sameInstall.output(), 0, sameInstall.exit());
        assertTrue(sameInstall.output(), sameInstall.output().contains("the data directory lock of this installation "
                + home.resolve("data/iscsid.lock") + " is locked by a running iscsid (pid " + pid + ")"));

        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output(), 0, status.exit());
        assertTrue("the first daemon must keep running: " + status.output(), status.output().contains("iscsid.pid = " + pid + "\n"));
        assertEquals(Optional.of(pid), readPid(pidFile));
        assertEquals(0, bin("iscsiadm", "-k", "0").exit());
    }

    @Test
    public void theForegroundStopsOnSigtermWithStatus0AndRemovesItsPidFile() throws Exception {
        Path logging = home.resolve("etc/org.ops4j.pax.logging.cfg");
        String loggingBefore = Files.readString(logging);
        Path stderr = tmp.resolve("foreground.err");
        foreground = command(home, "bin/iscsid", "-f", "-d", "1").redirectErrorStream(false)
                .redirectOutput(tmp.resolve("foreground.out").toFile()).redirectError(stderr.toFile()).start();
        dist.track(foreground.pid());
        Result status = awaitStatus(foreground);
        assertTrue(status.output(), status.output().contains("iscsid.pid = " + foreground.pid() + "\n"));
        assertTrue(status.output(), status.output().contains("iscsid.debug = 1\n"));
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
        assertEquals(status.output(), 0, status.exit());
        assertTrue(status.output(), status.output().contains("iscsid.state = running\n"));
        assertTrue(status.output(), status.output().contains("initiator.name = <not set>\n"));
        String log = Files.readString(home.resolve("data/log/karaf.log"));
        assertTrue("no warning naming the missing file in karaf.log",
                log.contains("WARN") && log.contains("initiator name file " + missing
                        + " does not exist: logins and discovery may fail"));
        assertEquals(0, bin("iscsiadm", "-k", "0").exit());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    public void aFatalStartUpErrorEndsTheRunWithItsStatusAndReason() throws Exception {
        Path bad = tmp.resolve("bad-iscsid.conf");
        Files.writeString(bad, "node.startup = manual\nnode.session.cmds_max\n");
        Result r = bin("iscsid", "-c", bad.toString());
        readPid(home.resolve("run/iscsid.pid")).ifPresent(dist::track);
        assertEquals("INVAL, as the daemon reported it: " + r.output(), 7, r.exit());
        assertTrue(r.output(), r.output().contains("iscsid: iscsid.conf has errors: " + bad + ":2: expected 'key = value'"));
        assertFalse("pid file left behind", Files.exists(home.resolve("run/iscsid.pid")));
        assertFalse("socket left behind", Files.exists(home.resolve("run/iscsid.sock")));
    }

    // ---- helpers ----

    private long startBackground(String... flags) throws Exception {
        return dist.startBackground(flags);
    }

    private Result awaitStatus(Process daemon) throws Exception {
        return dist.awaitStatus(daemon);
    }

    private static Result bin(String... cmd) throws Exception {
        return dist.bin(cmd);
    }

    private static ProcessBuilder command(Path dir, String... cmd) {
        return dist.command(cmd);
    }
}

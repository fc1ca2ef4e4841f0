package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.kiscsi.itests.UnpackedDistribution.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Result;
import org.kiscsi.testkit.peers.TgtShow;

/**
 * Issue 4 end to end against tgtd: sessions logged in when the daemon stopped (iscsiadm -k 0, or
 * SIGTERM to a foreground daemon) are logged out politely and come back by themselves at the next
 * start (the re-sync list); node.startup = automatic records are logged in at start-up, manual ones not.
 */
public class DaemonResyncIT extends DaemonAgainstTgtd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:resync-disk";
    private static final String AUTO = "iqn.2026-11.org.kiscsi.it:auto-disk";
    private static final String MANUAL = "iqn.2026-11.org.kiscsi.it:manual-disk";
    private static final long SESSION_TIMEOUT_S = 60;

    private Process foreground;

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK, AUTO, MANUAL);
    }

    @Override
    @After
    public void stopDaemons() throws Exception {
        if (foreground != null && foreground.isAlive()) {
            foreground.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        super.stopDaemons();
    }

    private String resyncLine(String target) {
        return target + " " + portal() + ",1 default";
    }

    private void login(String target) throws Exception {
        Result r = dist.bin("iscsiadm", "-m", "node", "-T", target, "-p", portal(), "--login");
        assertEquals(r.output(), 0, r.exit());
    }

    /** Polls iscsiadm -m session until it lists {@code target} (the re-sync and auto-logins run in the background). */
    private String awaitListed(String target) throws Exception {
        String line = portal() + ",1 " + target + " (non-flash)";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SESSION_TIMEOUT_S);
        Result r = dist.bin("iscsiadm", "-m", "session");
        while (!r.output().contains(line) && System.nanoTime() < end) {
            Thread.sleep(500);
            r = dist.bin("iscsiadm", "-m", "session");
        }
        assertTrue("iscsiadm -m session does not list " + target + " within " + SESSION_TIMEOUT_S + " s: " + r.output()
                + "\nkaraf.log: " + tail(Files.readString(dist.karafLog())), r.output().contains(line));
        return r.output();
    }

    private void awaitResyncListHolds(String target) throws Exception {
        boolean there = UnpackedDistribution.waitFor(() -> {
            try {
                return records.resyncList().contains(resyncLine(target));
            } catch (IOException e) {
                return false;
            }
        }, 10);
        assertTrue("re-sync list " + records.resyncFile() + " lacks '" + resyncLine(target) + "': " + records.resyncList(), there);
    }

    @Test
    public void aSessionLoggedInWhenIscsiadmStoppedTheDaemonComesBackAtTheNextStart() throws Exception {
        records.write(DISK, tgtd.portal(), false);
        long mark = dist.logMark();
        dist.startWithEngine();
        String initiator = records.initiatorName();
        login(DISK);
        TgtShow.Nexus before = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        awaitResyncListHolds(DISK);

        Result stop = dist.bin("iscsiadm", "-k", "0");
        assertEquals(stop.output(), 0, stop.exit());
        TgtdSessions.awaitNone(tgtd, DISK);
        String log = dist.logSince(mark);
        assertTrue("no polite logout at shutdown in karaf.log: " + tail(log), log.contains("logging out of session")
                && log.contains(DISK + ") at shutdown; it stays in the re-sync list"));
        assertTrue("the stop must keep the session in the re-sync list: " + records.resyncList(),
                records.resyncList().contains(resyncLine(DISK)));

        dist.startWithEngine(); // no login command from here on
        TgtShow.Nexus after = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        assertNotEquals("a new session, logged in by the daemon itself", before.id(), after.id());
        awaitListed(DISK);
        assertEquals("1", dist.status("sessions"));
    }

    @Test
    public void sigtermToAForegroundDaemonLogsOutAndTheNextStartLogsBackIn() throws Exception {
        records.write(DISK, tgtd.portal(), false);
        Path out = dist.tmp().resolve("foreground.out");
        foreground = dist.command("bin/iscsid", "-f").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        dist.track(foreground.pid());
        dist.awaitStatus(foreground);
        String initiator = records.initiatorName();
        login(DISK);
        TgtShow.Nexus before = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        awaitResyncListHolds(DISK);

        foreground.destroy(); // SIGTERM
        assertTrue("no exit within 60 s of SIGTERM", foreground.waitFor(60, TimeUnit.SECONDS));
        assertEquals(tail(Files.readString(out)), 0, foreground.exitValue());
        TgtdSessions.awaitNone(tgtd, DISK);
        assertTrue(records.resyncList(), records.resyncList().contains(resyncLine(DISK)));

        dist.startWithEngine();
        TgtShow.Nexus after = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        assertNotEquals(before.id(), after.id());
        awaitListed(DISK);
    }

    @Test
    public void automaticRecordsAreLoggedInAtStartUpManualOnesAreNot() throws Exception {
        records.write(AUTO, tgtd.portal(), true);
        records.write(MANUAL, tgtd.portal(), false);
        long mark = dist.logMark();
        dist.startWithEngine();
        TgtdSessions.awaitOne(tgtd, AUTO, records.initiatorName());
        String sessions = awaitListed(AUTO);

        assertFalse(sessions, sessions.contains(MANUAL));
        assertTrue(TgtdSessions.of(tgtd, MANUAL).isEmpty());
        String log = dist.logSince(mark);
        assertTrue(tail(log), log.contains("auto-login: logging in to [iface: default, target: " + AUTO + ", portal: "));
        assertFalse("a manual record was logged in at start-up: " + tail(log), log.contains("target: " + MANUAL));
    }
}

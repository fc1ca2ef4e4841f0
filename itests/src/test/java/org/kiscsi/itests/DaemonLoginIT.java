package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Result;
import org.kiscsi.testkit.peers.TgtShow;

/**
 * Issue 5 end to end: bin/iscsiadm logs in and out through the daemon's management socket, the real
 * session engine against a tgtd of the test's own; tgtd's own session list is the judge, and the
 * initiator it sees is the daemon's InitiatorName from etc/iscsi/initiatorname.iscsi.
 */
public class DaemonLoginIT extends DaemonAgainstTgtd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:login-disk";
    private static final String NOT_ON_TGTD = "iqn.2026-11.org.kiscsi.it:not-on-tgtd";

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK);
    }

    /** open-iscsi writes portals in login and logout messages as ip,port. */
    private String messagePortal() {
        return tgtd.host() + "," + tgtd.port();
    }

    private Result node(String target, String op) throws Exception {
        return dist.bin("iscsiadm", "-m", "node", "-T", target, "-p", portal(), op);
    }

    /** The sid of the one session {@code iscsiadm -m session} lists, checked against open-iscsi's line format. */
    private String onlySession(String target) throws Exception {
        Result list = dist.bin("iscsiadm", "-m", "session");
        assertEquals(list.output(), 0, list.exit());
        Matcher m = Pattern.compile("tcp: \\[(\\d+)\\] " + Pattern.quote(portal() + ",1 " + target) + " \\(non-flash\\)\n")
                .matcher(list.output());
        assertTrue("not one session in open-iscsi's format: " + list.output(), m.matches());
        return m.group(1);
    }

    @Test
    public void iscsiadmLogsInAndOutThroughTheDaemonAndTgtdSeesTheDaemonsInitiatorName() throws Exception {
        records.write(DISK, tgtd.portal(), false);
        dist.startWithEngine();
        String initiator = records.initiatorName();

        Result login = node(DISK, "--login");
        assertEquals(login.output(), 0, login.exit());
        assertEquals("Logging in to [iface: default, target: " + DISK + ", portal: " + messagePortal() + "]\n"
                + "Login to [iface: default, target: " + DISK + ", portal: " + messagePortal() + "] successful.\n", login.output());
        TgtShow.Nexus nexus = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        assertEquals(List.of(tgtd.host()), nexus.addresses());
        String sid = onlySession(DISK);
        assertEquals("1", dist.status("sessions"));
        assertEquals("file", dist.status("node_store.name"));
        assertEquals(records.storeRoot().toString(), dist.status("node_store.root"));

        Result logout = node(DISK, "--logout");
        assertEquals(logout.output(), 0, logout.exit());
        assertTrue(logout.output(), logout.output().contains("Logout of [sid: " + sid + ", target: " + DISK + ", portal: "
                + messagePortal() + "] successful.\n"));
        TgtdSessions.awaitNone(tgtd, DISK);
        Result none = dist.bin("iscsiadm", "-m", "session");
        assertEquals(none.output(), 21, none.exit());
        assertTrue(none.output(), none.output().contains("No active sessions."));

        assertEquals(0, node(DISK, "--login").exit());
        TgtShow.Nexus second = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        assertNotEquals("a new login is a new session at tgtd", nexus.id(), second.id());
        String sid2 = onlySession(DISK);
        Result bySid = dist.bin("iscsiadm", "-m", "session", "-r", sid2, "-u");
        assertEquals(bySid.output(), 0, bySid.exit());
        assertTrue(bySid.output(), bySid.output().contains("Logout of [sid: " + sid2 + ", target: " + DISK + ", portal: "
                + messagePortal() + "] successful.\n"));
        TgtdSessions.awaitNone(tgtd, DISK);
        assertEquals("0", dist.status("sessions"));
        assertTrue("a session logged out by request leaves the re-sync list: " + records.resyncList(),
                UnpackedDistribution.waitFor(() -> {
                    try {
                        return !records.resyncList().contains(DISK);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, 10));
    }

    @Test
    public void aSecondLoginOfALoggedInRecordExits15SayingSoAndTheFirstSessionSurvives() throws Exception {
        records.write(DISK, tgtd.portal(), false);
        dist.startWithEngine();
        String initiator = records.initiatorName();
        Result login = node(DISK, "--login");
        assertEquals(login.output(), 0, login.exit());
        TgtShow.Nexus nexus = TgtdSessions.awaitOne(tgtd, DISK, initiator);
        String sid = onlySession(DISK);

        UnpackedDistribution.Split again = dist.binSplit("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), "--login");
        assertEquals(again.toString(), 15, again.exit());
        assertTrue(again.toString(), again.stderr().lines()
                .anyMatch(l -> l.equals("iscsiadm: default: 1 session requested, but 1 already present.")));
        assertFalse(again.toString(), again.stdout().contains("successful"));
        assertFalse("no new login is attempted: " + again, again.stdout().contains("Logging in to"));

        assertEquals("the first session is the one session listed", sid, onlySession(DISK));
        assertEquals("1", dist.status("sessions"));
        List<TgtShow.Nexus> seen = TgtdSessions.of(tgtd, DISK);
        assertEquals("tgtd still has exactly the first session: " + seen, 1, seen.size());
        assertEquals(initiator, seen.get(0).initiator());
        assertEquals("the I_T nexus at tgtd is the first one, untouched", nexus.id(), seen.get(0).id());
    }

    @Test
    public void aLoginToATargetTgtdDoesNotHaveExitsWithFatalLoginNamingTargetAndPortal() throws Exception {
        records.write(NOT_ON_TGTD, tgtd.portal(), false);
        dist.startWithEngine();

        Result login = node(NOT_ON_TGTD, "--login");
        // open-iscsi: status 0x0203 (target not found) is CONN_LOGIN_IMM_FAILED, reported as ISCSI_ERR_FATAL_LOGIN
        assertEquals(login.output(), 19, login.exit());
        assertTrue(login.output(), login.output().contains("iscsiadm: Could not login to [iface: default, target: " + NOT_ON_TGTD
                + ", portal: " + messagePortal() + "]."));
        assertTrue(login.output(), login.output().contains("iscsiadm: initiator reported error (19 - encountered non-retryable iSCSI login failure)\n"
                + "iscsiadm: login to " + NOT_ON_TGTD + " at " + portal() + " refused"));
        assertTrue(login.output(), login.output().contains("target not found"));
        assertFalse(login.output(), login.output().contains("successful"));
        assertEquals(21, dist.bin("iscsiadm", "-m", "session").exit());
        assertEquals("running", dist.status("iscsid.state"));

        Result noRecord = dist.bin("iscsiadm", "-m", "node", "-T", "iqn.2026-11.org.kiscsi.it:no-record", "-p", portal(), "--login");
        assertEquals(noRecord.output(), 21, noRecord.exit());
        assertEquals("iscsiadm: No records found\n", noRecord.output());
    }
}

package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.itests.UnpackedDistribution.Split;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.NegotiatedParameters;
import org.kiscsi.testkit.peers.SilentListener;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.TgtTarget;

/**
 * Issue 14 end to end: logins to several portals with one failing, the session list at every print
 * level compared field by field with what tgtd reports for the same sessions, rescan, statistics and
 * logout by sid, all through bin/iscsiadm against the daemon and a tgtd of the test's own.
 */
public class IscsiadmSessionsIT extends IscsiadmEndToEnd {
    private static final String ALPHA = "iqn.2026-11.org.kiscsi.it:sessions-alpha";
    private static final String BETA = "iqn.2026-11.org.kiscsi.it:sessions-beta";
    private static final String SILENT = "iqn.2026-11.org.kiscsi.it:sessions-silent";
    /** open-iscsi's counter lines of -s, in order (usr/iscsiadm.c session_stats). */
    private static final List<String> SNMP = List.of("txdata_octets", "rxdata_octets", "noptx_pdus", "scsicmd_pdus", "tmfcmd_pdus",
            "login_pdus", "text_pdus", "dataout_pdus", "logout_pdus", "snack_pdus", "noprx_pdus", "scsirsp_pdus", "tmfrsp_pdus",
            "textrsp_pdus", "datain_pdus", "logoutrsp_pdus", "r2t_pdus", "async_pdus", "rjt_pdus", "digest_err", "timeout_err");

    private static TgtTarget alpha;
    private static TgtTarget beta;

    @BeforeClass
    public static void setUp() throws Exception {
        unpackAndStartTgtd();
        alpha = target(ALPHA, 16, 32);
        // tgtd's side stricter than the record's on every number it can decide, so the negotiated
        // values are tgtd's and a wrong side shows
        alpha.set("MaxRecvDataSegmentLength", "16384").set("FirstBurstLength", "32768").set("MaxBurstLength", "131072")
                .set("ImmediateData", "No");
        beta = target(BETA, 16);
        startDaemon();
    }

    private static NodeRecord record(String target) throws Exception {
        return records.write(target, tgtd.portal(), Map.of());
    }

    private static String login(String target) throws Exception {
        Split r = iscsiadm("-m", "node", "-T", target, "-p", dashP(tgtd.portal()), "--login");
        assertEquals(r.toString(), 0, r.exit());
        return sessionLines().stream().filter(l -> l.target().equals(target)).findFirst().orElseThrow().sid();
    }

    /** usr/session_mgmt.c: "Logging in to" for each record at once, then "Login to ... successful." or the failure. */
    @Test
    public void loginToThreePortalsWithOneSilentGivesTwoSuccessesAndOneFailure() throws Exception {
        try (SilentListener silent = SilentListener.start(Loopback.IPV4)) {
            record(ALPHA);
            record(BETA);
            records.write(SILENT, silent.portal(), QUICK_FAILURE);
            Split r = iscsiadm("-m", "node", "--login");
            System.out.println("IscsiadmSessionsIT three portals: " + r);
            assertEquals(r.toString(), 11, r.exit());
            List<String> out = r.stdout().lines().toList();
            Set<String> loggingIn = Set.of("Logging in to " + where("default", ALPHA, tgtd.portal()),
                    "Logging in to " + where("default", BETA, tgtd.portal()), "Logging in to " + where("default", SILENT, silent.portal()));
            assertEquals(r.toString(), 5, out.size());
            assertEquals("every login is started before any result: " + r, loggingIn, Set.copyOf(out.subList(0, 3)));
            assertEquals(r.toString(), Set.of("Login to " + where("default", ALPHA, tgtd.portal()) + " successful.",
                    "Login to " + where("default", BETA, tgtd.portal()) + " successful."), Set.copyOf(out.subList(3, 5)));
            assertLoginFailure(r, "default", SILENT, silent.portal(), 11);
            assertTrue(r.toString(), r.stderr().endsWith("iscsiadm: Could not log into all portals\n"));
            assertEquals(1, TgtdSessions.of(tgtd, ALPHA).size());
            assertEquals(1, TgtdSessions.of(tgtd, BETA).size());
            assertEquals(2, sessionLines().size());
        }
    }

    @Test
    public void sessionListAtEveryLevelMatchesWhatTgtdReports() throws Exception {
        Map<String, NodeRecord> recs = new LinkedHashMap<>();
        recs.put(ALPHA, record(ALPHA));
        recs.put(BETA, record(BETA));
        login(ALPHA);
        login(BETA);
        TgtShow.PortalGroup group = tgtd.portals().get(0);

        // -P 0: tcp: [sid] ip:port,tpgt target (non-flash)
        List<SessionLine> flat = sessionLines();
        assertEquals(2, flat.size());
        for (SessionLine l : flat) {
            assertEquals(group.host(), l.address());
            assertEquals(group.port(), l.port());
            assertEquals("the TPGT tgtd's portal group has", group.tpgt(), l.tpgt());
            assertTrue(l.target(), recs.containsKey(l.target()));
        }
        Split p0 = iscsiadm("-m", "session", "-P", "0");
        assertEquals(iscsiadm("-m", "session").stdout(), p0.stdout());

        Split p1 = iscsiadm("-m", "session", "-P", "1");
        assertEquals(p1.toString(), 0, p1.exit());
        assertNotEquals("-P 1 is not -P 0", p0.stdout(), p1.stdout());
        assertFalse(p1.stdout(), p1.stdout().contains("Timeouts:") || p1.stdout().contains("Negotiated iSCSI params:"));
        Split p2 = iscsiadm("-m", "session", "-P", "2");
        assertEquals(p2.toString(), 0, p2.exit());
        assertFalse(p2.stdout(), p2.stdout().contains("Attached SCSI devices:"));
        Split p3 = iscsiadm("-m", "session", "-P", "3");
        assertEquals(p3.toString(), 0, p3.exit());
        System.out.println("IscsiadmSessionsIT -P 3:\n" + p3.stdout());

        for (SessionLine l : flat) {
            TgtTarget t = l.target().equals(ALPHA) ? alpha : beta;
            List<TgtShow.Connection> conns = t.connections();
            assertEquals("tgtd has one connection for " + l.target() + ": " + conns, 1, conns.size());
            TgtShow.Connection c = conns.get(0);
            NodeRecord rec = recs.get(l.target());
            String portal = group.host() + ":" + group.port() + "," + group.tpgt();
            for (Split level : List.of(p1, p2, p3)) {
                SessionTree.Session s = SessionTree.parse(level.stdout()).bySid(l.sid());
                assertEquals(l.target(), s.target());
                assertEquals(portal, s.currentPortal());
                assertEquals(portal, s.persistentPortal());
                assertEquals("default", s.field("Iface Name"));
                assertEquals("tcp", s.field("Iface Transport"));
                assertEquals("the initiator tgtd sees", c.initiator(), s.field("Iface Initiatorname"));
                assertEquals("the address tgtd sees the connection come from", c.address(), s.field("Iface IPaddress"));
                assertEquals(l.sid(), s.field("SID"));
                assertEquals("LOGGED IN", s.field("iSCSI Connection State"));
                assertEquals("LOGGED_IN", s.field("iSCSI Session State"));
                assertEquals("NO CHANGE", s.field("Internal iscsid Session State"));
            }
            for (Split level : List.of(p2, p3)) {
                SessionTree.Session s = SessionTree.parse(level.stdout()).bySid(l.sid());
                assertEquals(rec.values().get("node.session.timeo.replacement_timeout", "120"), s.field("Recovery Timeout"));
                assertEquals(rec.values().get("node.session.err_timeo.tgt_reset_timeout", "30"), s.field("Target Reset Timeout"));
                assertEquals(rec.values().get("node.session.err_timeo.lu_reset_timeout", "30"), s.field("LUN Reset Timeout"));
                assertEquals(rec.values().get("node.session.err_timeo.abort_timeout", "15"), s.field("Abort Timeout"));
                assertEquals("<empty>", s.field("username"));
                assertEquals("********", s.field("password"));
                assertEquals("<empty>", s.field("username_in"));
                assertEquals("********", s.field("password_in"));
                Map<String, String> expected = NegotiatedParameters.of(t.parameters(), rec.values().asMap());
                for (String field : NegotiatedParameters.FIELDS) {
                    assertEquals(l.target() + " negotiated " + field + " (tgtd " + t.parameters() + ")", expected.get(field), s.field(field));
                }
            }
            assertLunsAsTgtdHasThem(SessionTree.parse(p3.stdout()).bySid(l.sid()), t);
        }
    }

    /** -P 3: where open-iscsi names kernel devices, each LUN tgtd has, with its type, vendor/product and capacity. */
    private static void assertLunsAsTgtdHasThem(SessionTree.Session s, TgtTarget t) {
        assertTrue(String.join("\n", s.lines()), s.lines().contains("\t\tAttached SCSI devices:"));
        for (TgtShow.Lun lun : t.show().luns()) {
            List<String> section = s.lun(lun.lun()).orElseThrow(() -> new AssertionError("no 'Lun: " + lun.lun() + "' for " + t.iqn()
                    + " at -P 3:\n" + String.join("\n", s.lines())));
            String text = String.join("\n", section);
            String lower = text.toLowerCase(Locale.ROOT);
            assertTrue(text, text.contains("IET"));
            if (lun.type().equals("disk")) {
                assertTrue("type of LUN " + lun.lun() + ": " + text, lower.contains("disk") || lower.contains("direct-access"));
                assertTrue(text, text.contains("VIRTUAL-DISK"));
                long bytes = t.lun(lun.lun()).orElseThrow().backing().sizeBytes();
                long mib = bytes >> 20;
                assertTrue("capacity of LUN " + lun.lun() + " (" + bytes + " bytes): " + text, text.contains(Long.toString(bytes))
                        || text.contains(mib + " MiB") || text.contains(mib + ".0 MiB") || text.contains(mib + ".00 MiB"));
            } else {
                assertTrue("type of LUN " + lun.lun() + ": " + text, lower.contains("controller") || lower.contains("raid"));
            }
        }
    }

    /** usr/iscsiadm.c rescan_portal: "Rescanning session [sid: S, target: T, portal: ip,port]". */
    @Test
    public void rescanFindsALunAddedAtTgtd() throws Exception {
        record(ALPHA);
        String sid = login(ALPHA);
        try {
            alpha.addLun(3, LunBacking.file(48L << 20));
            Split r = iscsiadm("-m", "session", "-r", sid, "-R");
            assertEquals(r.toString(), 0, r.exit());
            assertEquals(r.toString(), "Rescanning session [sid: " + sid + ", target: " + ALPHA + ", portal: "
                    + messagePortal(tgtd.portal()) + "]\n", r.stdout());
            Split p3 = iscsiadm("-m", "session", "-r", sid, "-P", "3");
            assertEquals(p3.toString(), 0, p3.exit());
            assertLunsAsTgtdHasThem(SessionTree.parse(p3.stdout()).bySid(sid), alpha);
            assertTrue(p3.stdout(), SessionTree.parse(p3.stdout()).bySid(sid).lun(3).isPresent());
        } finally {
            alpha.deleteLun(3);
        }
    }

    /**
     * -s: usr/iscsiadm.c session_stats, "Stats for session [...]" then "iSCSI SNMP:" and 21 counters.
     * The SCSI commands the initiator counts are the ones tgtd counts for the session (read before
     * and after); a rescan moves them, and no counter goes back.
     */
    @Test
    public void statisticsCountWhatTgtdCountsAndOnlyGrow() throws Exception {
        record(ALPHA);
        String sid = login(ALPHA);
        int tgtSid = alpha.connections().get(0).sid();
        long tgtBefore = alpha.statistics(tgtSid).get(0).cmdPdus();
        Map<String, Long> first = stats(sid);
        long tgtAfter = alpha.statistics(tgtSid).get(0).cmdPdus();
        assertTrue("scsicmd_pdus " + first.get("scsicmd_pdus") + " within tgtd's cmd_pdus " + tgtBefore + ".." + tgtAfter,
                first.get("scsicmd_pdus") >= tgtBefore && first.get("scsicmd_pdus") <= tgtAfter);
        assertTrue("the login's scan read INQUIRY data: " + first, first.get("rxdata_octets") > 0);

        assertEquals(0, iscsiadm("-m", "session", "-r", sid, "-R").exit());
        long tgtBefore2 = alpha.statistics(tgtSid).get(0).cmdPdus();
        Map<String, Long> second = stats(sid);
        long tgtAfter2 = alpha.statistics(tgtSid).get(0).cmdPdus();
        assertTrue("a rescan sends SCSI commands: " + first + " -> " + second, second.get("scsicmd_pdus") > first.get("scsicmd_pdus"));
        assertTrue("scsicmd_pdus " + second.get("scsicmd_pdus") + " within tgtd's " + tgtBefore2 + ".." + tgtAfter2,
                second.get("scsicmd_pdus") >= tgtBefore2 && second.get("scsicmd_pdus") <= tgtAfter2);
        for (String k : SNMP) {
            assertTrue(k + " went back: " + first.get(k) + " -> " + second.get(k), second.get(k) >= first.get(k));
        }
    }

    private static Map<String, Long> stats(String sid) throws Exception {
        Split r = iscsiadm("-m", "session", "-r", sid, "-s");
        assertEquals(r.toString(), 0, r.exit());
        List<String> lines = r.stdout().lines().toList();
        assertEquals(r.toString(), "Stats for session [sid: " + sid + ", target: " + ALPHA + ", portal: " + messagePortal(tgtd.portal())
                + "]", lines.get(0));
        assertEquals(r.toString(), "iSCSI SNMP:", lines.get(1));
        Map<String, Long> m = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (String l : lines.subList(2, Math.min(lines.size(), 2 + SNMP.size()))) {
            assertTrue(r.toString(), l.startsWith("\t") && l.contains(": "));
            String k = l.substring(1, l.indexOf(": "));
            keys.add(k);
            m.put(k, Long.parseLong(l.substring(l.indexOf(": ") + 2)));
        }
        assertEquals(r.toString(), SNMP, keys);
        return m;
    }

    /** usr/session_mgmt.c: "Logging out of session [...]" then log_logout_msg's "Logout of [...] successful.". */
    @Test
    public void logoutBySidEndsTheSessionAtTgtd() throws Exception {
        record(ALPHA);
        String sid = login(ALPHA);
        String session = "[sid: " + sid + ", target: " + ALPHA + ", portal: " + messagePortal(tgtd.portal()) + "]";
        Split r = iscsiadm("-m", "session", "-r", sid, "-u");
        assertEquals(r.toString(), 0, r.exit());
        assertEquals(r.toString(), "Logging out of session " + session + "\nLogout of " + session + " successful.\n", r.stdout());
        assertEquals(r.toString(), "", r.stderr());
        TgtdSessions.awaitNone(tgtd, ALPHA);
        Split none = iscsiadm("-m", "session");
        assertEquals(none.toString(), 21, none.exit());
        assertEquals("iscsiadm: No active sessions.\n", none.stderr());
    }
}

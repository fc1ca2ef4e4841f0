package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.api.Portal;
import org.kiscsi.itests.UnpackedDistribution.Split;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.DroppingPortal;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.OpenIscsiAdm;
import org.kiscsi.testkit.peers.SilentListener;

/**
 * Issue 14 end to end: each exit code of open-iscsi's iscsiadm that bin/iscsiadm gives, caused for
 * real (a listener that never answers, SYNs dropped in a network namespace of the test's own, tgtd
 * refusing a CHAP secret, ...), with what open-iscsi 2.1.8 prints for it.
 */
public class IscsiadmExitCodesIT extends IscsiadmEndToEnd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:codes-disk";
    private static final String CHAP = "iqn.2026-11.org.kiscsi.it:codes-chap";
    private static final String NOWHERE = "iqn.2026-11.org.kiscsi.it:codes-nowhere";
    private static final ChapCredentials ACCOUNT = new ChapCredentials("it-codes-user", "Cd7codesSecret51");
    /** A login that must fail within a few seconds with QUICK_FAILURE; more means it waited on something. */
    private static final long FAILURE_BOUND_S = 30;

    /** bin/iscsiadm -m session before any daemon ran (exit 20 is checked on it). */
    private static Split beforeDaemon;

    @BeforeClass
    public static void setUp() throws Exception {
        unpackAndStartTgtd();
        target(DISK, 16);
        target(CHAP, 16).requireChap(ACCOUNT);
        beforeDaemon = iscsiadm("-m", "session");
        startDaemon();
    }

    /** 20 ISCSID_NOTCONN; open-iscsi's usr/iscsid_req.c says "can not connect to iSCSI daemon (%d)!". */
    @Test
    public void noDaemonExits20SayingSo() {
        assertEquals(beforeDaemon.toString(), 20, beforeDaemon.exit());
        assertTrue(beforeDaemon.toString(), beforeDaemon.stderr().startsWith("iscsiadm: can not connect to iSCSI daemon"));
        assertEquals(beforeDaemon.toString(), "", beforeDaemon.stdout());
    }

    /** 21 NO_OBJS_FOUND: usr/iscsiadm.c ("No active sessions." in session mode, __for_each_matched_rec "No records found"). */
    @Test
    public void nothingMatchingExits21() throws Exception {
        Split none = iscsiadm("-m", "session");
        assertEquals(none.toString(), 21, none.exit());
        assertEquals(none.toString(), "iscsiadm: No active sessions.\n", none.stderr());
        assertEquals(none.toString(), "", none.stdout());

        Split noRecord = iscsiadm("-m", "node", "-T", NOWHERE, "-p", dashP(tgtd.portal()), "--login");
        assertEquals(noRecord.toString(), 21, noRecord.exit());
        assertTrue(noRecord.toString(), noRecord.stderr().lines().anyMatch("iscsiadm: No records found"::equals));
        assertFalse(noRecord.toString(), noRecord.stdout().contains("Logging in to"));
    }

    /**
     * 15 SESS_EXISTS: usr/session_mgmt.c iscsi_login_portal warns "%s: %d session%s requested, but %d
     * already present." and login_portals (usr/iscsiadm.c) adds "Could not log into all portals".
     */
    @Test
    public void aSecondLoginOfTheSameRecordExits15() throws Exception {
        records.write(DISK, tgtd.portal(), Map.of());
        Split first = iscsiadm("-m", "node", "-T", DISK, "-p", dashP(tgtd.portal()), "--login");
        assertEquals(first.toString(), 0, first.exit());
        Split again = iscsiadm("-m", "node", "-T", DISK, "-p", dashP(tgtd.portal()), "--login");
        assertEquals(again.toString(), 15, again.exit());
        assertEquals(again.toString(), List.of("iscsiadm: default: 1 session requested, but 1 already present.",
                "iscsiadm: Could not log into all portals"), again.stderr().lines().toList());
        assertEquals("no login is attempted: " + again, "", again.stdout());
        assertEquals(1, sids().size());
    }

    /** 11 PDU_TIMEOUT: the connection is accepted, the Login Request arrives, nothing ever answers. */
    @Test
    public void aListenerThatNeverAnswersExits11() throws Exception {
        try (SilentListener silent = SilentListener.start(Loopback.IPV4)) {
            records.write(NOWHERE, silent.portal(), QUICK_FAILURE);
            long t0 = System.nanoTime();
            Split r = iscsiadm("-m", "node", "-T", NOWHERE, "-p", silent.hostPort(), "--login");
            long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            System.out.println("IscsiadmExitCodesIT silent listener (" + s + " s, " + silent.accepted() + " connections, "
                    + silent.bytesReceived() + " bytes): " + r);
            assertEquals(r.toString(), 11, r.exit());
            assertEquals(r.toString(), "Logging in to " + where("default", NOWHERE, silent.portal()) + "\n", r.stdout());
            assertLoginFailure(r, "default", NOWHERE, silent.portal(), 11);
            assertTrue(r.toString(), r.stderr().endsWith("iscsiadm: Could not log into all portals\n"));
            assertTrue("the connection was made: " + silent, silent.accepted() >= 1);
            assertTrue("a Login Request (48 bytes and more) arrived: " + silent, silent.bytesReceived() >= 48);
            assertTrue("bounded by the record's login_timeout 2 s and one retry: " + s + " s", s < FAILURE_BOUND_S);
            assertTrue(sids().isEmpty());
        }
    }

    /** 8 TRANS_TIMEOUT: no TCP connection comes about, the SYNs vanish in the test's own namespace. */
    @Test
    public void aPortalWhoseSynsAreDroppedExits8() throws Exception {
        try (DroppingPortal dropping = DroppingPortal.create(3260)) {
            records.write(NOWHERE, dropping.portal(), QUICK_FAILURE);
            long t0 = System.nanoTime();
            Split r = iscsiadm("-m", "node", "-T", NOWHERE, "-p", dropping.hostPort(), "--login");
            long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            System.out.println("IscsiadmExitCodesIT dropping portal " + dropping + " (" + s + " s): " + r);
            assertEquals(r.toString(), 8, r.exit());
            assertEquals(r.toString(), "Logging in to " + where("default", NOWHERE, dropping.portal()) + "\n", r.stdout());
            assertLoginFailure(r, "default", NOWHERE, dropping.portal(), 8);
            assertTrue(r.toString(), r.stderr().endsWith("iscsiadm: Could not log into all portals\n"));
            assertTrue("bounded by the record's login_timeout 2 s and one retry: " + s + " s", s < FAILURE_BOUND_S);
        }
    }

    /** 24 LOGIN_AUTH_FAILED: tgtd refuses the CHAP response made with a wrong secret. */
    @Test
    public void aWrongChapSecretExits24() throws Exception {
        Map<String, String> chap = new HashMap<>(QUICK_FAILURE);
        chap.putAll(Map.of("node.session.auth.authmethod", "CHAP", "node.session.auth.username", ACCOUNT.user(),
                "node.session.auth.password", "Wr0ngCodesSecret77"));
        records.write(CHAP, tgtd.portal(), chap);
        Split r = iscsiadm("-m", "node", "-T", CHAP, "-p", dashP(tgtd.portal()), "--login");
        assertEquals(r.toString(), 24, r.exit());
        assertLoginFailure(r, "default", CHAP, tgtd.portal(), 24);
        assertFalse("no secret in the output: " + r, r.toString().contains("Wr0ngCodesSecret77"));
        assertTrue(TgtdSessions.of(tgtd, CHAP).isEmpty());
    }

    /** 7 INVAL: the same words as open-iscsi's own iscsiadm (usr/iscsiadm.c main, "-o"), asked as the oracle. */
    @Test
    public void invalidArgumentsExit7AsOpenIscsiSaysIt() throws Exception {
        OpenIscsiAdm oracle = records.openIscsi(dist.tmp());
        for (List<String> args : List.of(List.of("-m", "session", "-o", "bogus"), List.of("-m", "node", "-o", "bogus"))) {
            OpenIscsiAdm.Run theirs = oracle.run(args.toArray(new String[0]));
            Split ours = iscsiadm(args.toArray(new String[0]));
            assertEquals(args + ": " + ours, 7, ours.exit());
            assertEquals(7, theirs.exit());
            assertEquals(args.toString(), "iscsiadm: can not recognize operation: 'bogus'\n", theirs.stderr());
            assertEquals(args + ": " + ours, theirs.stderr(), ours.stderr());
            assertEquals(args + ": " + ours, theirs.stdout(), ours.stdout());
        }
    }

    /**
     * 12 TRANS_NOT_FOUND: a login through an iface whose transport is not installed. The iface is made
     * with bin/iscsiadm -m iface -o new (usr/iscsiadm.c: "New interface %s added"); its transport is
     * set with -o update, or, should kiscsi refuse an unknown transport there (12 at once, as open-iscsi
     * looks the transport up), written into the iface file as a transport uninstalled later leaves it.
     */
    @Test
    public void aLoginThroughAnIfaceWithAMissingTransportExits12() throws Exception {
        Path ifaceFile = records.storeRoot().resolve("ifaces/bogus0");
        try {
            Split created = iscsiadm("-m", "iface", "-I", "bogus0", "-o", "new");
            assertEquals(created.toString(), 0, created.exit());
            // 2.1.8 writes the iface, applies the -n/-v pairs (saying "updated." even with none), then says it was added
            assertEquals(created.toString(), "bogus0 updated.\nNew interface bogus0 added\n", created.stdout());
            Split updated = iscsiadm("-m", "iface", "-I", "bogus0", "-o", "update", "-n", "iface.transport_name", "-v", "bogus");
            if (updated.exit() == 12) {
                String file = Files.readString(ifaceFile).replaceAll("(?m)^iface\\.transport_name = .*$", "iface.transport_name = bogus");
                Files.writeString(ifaceFile, file);
            } else {
                assertEquals(updated.toString(), 0, updated.exit());
            }
            Portal p = tgtd.portal();
            records.write(DISK, p, "bogus0", Map.of("iface.iscsi_ifacename", "bogus0", "iface.transport_name", "bogus"));
            Split r = iscsiadm("-m", "node", "-T", DISK, "-p", dashP(p), "-I", "bogus0", "--login");
            assertEquals(r.toString(), 12, r.exit());
            assertLoginFailure(r, "bogus0", DISK, p, 12);
            assertTrue(TgtdSessions.of(tgtd, DISK).isEmpty());
        } finally {
            Files.deleteIfExists(ifaceFile);
        }
    }
}

package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Split;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.OpenIscsiAdm;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * Issue 15 end to end: {@code iscsiadm -m discovery} and {@code -m discoverydb} through bin/iscsiadm
 * and the daemon against a tgtd of the test's own with two targets on two portals (127.0.0.1 and
 * [::1]) and one target its ACL hides from this initiator; the lines and records as open-iscsi 2.1.8
 * prints and writes them (usr/iscsiadm.c exec_disc_op_on_recs, usr/idbm.c idbm_print_node_flat),
 * and open-iscsi's own iscsiadm reading what kiscsi wrote.
 */
public class IscsiadmDiscoveryIT extends IscsiadmEndToEnd {
    private static final String ALPHA = "iqn.2026-11.org.kiscsi.it:disco-alpha";
    private static final String BETA = "iqn.2026-11.org.kiscsi.it:disco-beta";
    private static final String HIDDEN = "iqn.2026-11.org.kiscsi.it:disco-hidden";
    private static final String GAMMA = "iqn.2026-11.org.kiscsi.it:disco-gamma";
    private static final ChapCredentials DISCOVERY_ACCOUNT = new ChapCredentials("it-disco-user", "Di5coverySecret77");
    private static final String WRONG_SECRET = "Wr0ngDiscoSecret55";

    @BeforeClass
    public static void setUp() throws Exception {
        unpackAndStartTgtd();
        tgtd.tgtadm().run("--op", "new", "--mode", "portal", "--param", "portal=" + Loopback.IPV6.hostPort(tgtd.port()));
        target(ALPHA, 16);
        target(BETA, 16);
        tgtd.createTarget(HIDDEN).allowInitiator("iqn.2026-11.org.kiscsi.it:someone-else");
        startDaemon();
    }

    /** Discovery records go too: each test starts with none. */
    @After
    public void forgetDiscoveryRecords() throws Exception {
        for (String dir : List.of("send_targets", "isns")) {
            Path d = records.storeRoot().resolve(dir);
            if (Files.exists(d)) {
                try (var s = Files.walk(d)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static String st() {
        return "127.0.0.1:" + tgtd.port();
    }

    /**
     * The lines {@code exec_disc_op_on_recs} prints for {@code targets} at 127.0.0.1 (tgtd answers a
     * SendTargets with the portals of the family it was asked on).
     */
    private static Set<String> foundLines(String... targets) {
        Set<String> s = new TreeSet<>();
        for (String t : targets) {
            s.add("127.0.0.1:" + tgtd.port() + ",1 " + t);
        }
        return s;
    }

    /** The same at [::1], bracketed as idbm_print_node_flat writes an address without a dot. */
    private static Set<String> foundLines6(String... targets) {
        Set<String> s = new TreeSet<>();
        for (String t : targets) {
            s.add("[::1]:" + tgtd.port() + ",1 " + t);
        }
        return s;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    private static Set<String> lines(String text) {
        return new TreeSet<>(text.lines().toList());
    }

    @Test
    public void severalTargetsAndPortalsAreFoundRecordedAndReadByOpenIscsi() throws Exception {
        Split r = iscsiadm("-m", "discovery", "-t", "st", "-p", st());
        assertEquals(r.toString(), 0, r.exit());
        assertEquals(r.toString(), foundLines(ALPHA, BETA), lines(r.stdout()));
        assertEquals(r.toString(), "", r.stderr());

        Split v6 = iscsiadm("-m", "discovery", "-t", "st", "-p", "[::1]:" + tgtd.port());
        assertEquals(v6.toString(), 0, v6.exit());
        assertEquals(v6.toString(), foundLines6(ALPHA, BETA), lines(v6.stdout()));

        Set<String> sources = Set.of("127.0.0.1:" + tgtd.port() + " via sendtargets", "::1:" + tgtd.port() + " via sendtargets");
        Split list = iscsiadm("-m", "discovery");
        assertEquals(list.toString(), sources, lines(list.stdout()));
        Set<String> all = union(foundLines(ALPHA, BETA), foundLines6(ALPHA, BETA));
        Split nodes = iscsiadm("-m", "node");
        assertEquals(nodes.toString(), all, lines(nodes.stdout()));

        OpenIscsiAdm openIscsi = records.openIscsi(dist.tmp());
        assertEquals(all, lines(openIscsi.ok("-m", "node")));
        assertEquals(sources, lines(openIscsi.ok("-m", "discovery")));
        String tree = openIscsi.ok("-m", "discovery", "-P", "1");
        assertTrue(tree, tree.contains("DiscoveryAddress: 127.0.0.1," + tgtd.port() + "\n"));
        assertTrue("open-iscsi finds the node records through the links kiscsi made: " + tree,
                tree.contains("Target: " + ALPHA) && tree.contains("Target: " + BETA) && !tree.contains(HIDDEN));
        String shown = openIscsi.ok("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "show");
        assertTrue(shown, shown.contains("discovery.sendtargets.address = 127.0.0.1\n"));
        assertEquals(shown, iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "show").stdout());
        String node = openIscsi.ok("-m", "node", "-T", ALPHA, "-p", "[::1]:" + tgtd.port(), "-o", "show");
        assertTrue(node, node.contains("node.discovery_type = send_targets\n") && node.contains("node.discovery_address = ::1\n"));
        assertEquals(node, iscsiadm("-m", "node", "-T", ALPHA, "-p", "[::1]:" + tgtd.port(), "-o", "show").stdout());

        // open-iscsi's delete of a discovery record takes kiscsi's node records along, through the links
        openIscsi.ok("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "delete");
        assertEquals(foundLines6(ALPHA, BETA), lines(iscsiadm("-m", "node").stdout()));
        // and so does kiscsi's
        Split del = iscsiadm("-m", "discoverydb", "-t", "st", "-p", "[::1]:" + tgtd.port(), "-o", "delete");
        assertEquals(del.toString(), 0, del.exit());
        assertEquals(21, iscsiadm("-m", "node").exit());
        assertEquals(21, iscsiadm("-m", "discovery").exit());
    }

    @Test
    public void loginLogsInToWhatWasFound() throws Exception {
        Split r = iscsiadm("-m", "discovery", "-t", "st", "-p", st(), "--login");
        assertEquals(r.toString(), 0, r.exit());
        for (String t : List.of(ALPHA, BETA)) {
            String w = "[iface: default, target: " + t + ", portal: 127.0.0.1," + tgtd.port() + "]";
            assertTrue(r.toString(), r.stdout().contains("Logging in to " + w + "\n"));
            assertTrue(r.toString(), r.stdout().contains("Login to " + w + " successful.\n"));
        }
        assertEquals(2, sessionLines().size());
    }

    @Test
    public void theDefaultModeKeepsAUsersSettingAndRemovesAVanishedTarget() throws Exception {
        TgtTarget gamma = target(GAMMA, 16);
        assertEquals(0, iscsiadm("-m", "discovery", "-t", "st", "-p", st()).exit());
        Split u = iscsiadm("-m", "node", "-T", ALPHA, "-p", st(), "-o", "update", "-n", "node.startup", "-v", "automatic");
        assertEquals(u.toString(), 0, u.exit());
        tgtd.tgtadm().run("--op", "delete", "--mode", "target", "--tid", Integer.toString(gamma.tid()));

        Split r = iscsiadm("-m", "discovery", "-t", "st", "-p", st());
        assertEquals(r.toString(), 0, r.exit());
        assertEquals(r.toString(), foundLines(ALPHA, BETA), lines(r.stdout()));
        assertEquals(foundLines(ALPHA, BETA), lines(iscsiadm("-m", "node").stdout()));
        String shown = iscsiadm("-m", "node", "-T", ALPHA, "-p", st(), "-o", "show").stdout();
        assertTrue(shown, shown.contains("node.startup = automatic\n"));
    }

    @Test
    public void nonpersistentWritesNothing() throws Exception {
        Split r = iscsiadm("-m", "discovery", "-t", "st", "-p", st(), "-o", "nonpersistent");
        assertEquals(r.toString(), 0, r.exit());
        assertEquals(r.toString(), foundLines(ALPHA, BETA), lines(r.stdout()));
        assertEquals(21, iscsiadm("-m", "node").exit());
        assertEquals(21, iscsiadm("-m", "discovery").exit());
        assertFalse(Files.exists(records.storeRoot().resolve("send_targets").resolve("127.0.0.1," + tgtd.port())));
    }

    @Test
    public void anEmptyAnswerIsNoPortalsFound() throws Exception {
        try (Tgtd empty = Tgtd.start(Loopback.IPV4)) {
            // a tgtd without any target closes a discovery login; one whose only target is hidden answers nothing
            empty.createTarget("iqn.2026-11.org.kiscsi.it:disco-not-for-you").allowInitiator("iqn.2026-11.org.kiscsi.it:someone-else");
            Split r = iscsiadm("-m", "discovery", "-t", "st", "-p", "127.0.0.1:" + empty.port());
            assertEquals(r.toString(), 21, r.exit());
            assertEquals(r.toString(), "iscsiadm: No portals found\n", r.stderr());
            assertEquals(r.toString(), "", r.stdout());
        }
    }

    @Test
    public void discoveryChapFromTheDiscoveryRecordAndAWrongSecretIs24() throws Exception {
        tgtd.createAccount(DISCOVERY_ACCOUNT);
        tgtd.tgtadm().run("--op", "bind", "--mode", "account", "--user", DISCOVERY_ACCOUNT.user());
        try {
            Split none = iscsiadm("-m", "discovery", "-t", "st", "-p", st());
            assertEquals(none.toString(), 24, none.exit());

            assertEquals("New discovery record for [127.0.0.1," + tgtd.port() + "] added.\n",
                    iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "new").stdout());
            Split u = iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "update",
                    "-n", "discovery.sendtargets.auth.authmethod", "-v", "CHAP",
                    "-n", "discovery.sendtargets.auth.username", "-v", DISCOVERY_ACCOUNT.user(),
                    "-n", "discovery.sendtargets.auth.password", "-v", WRONG_SECRET);
            assertEquals(u.toString(), 0, u.exit());
            Split wrong = iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "--discover");
            assertEquals(wrong.toString(), 24, wrong.exit());
            assertTrue(wrong.toString(), wrong.stderr().startsWith("iscsiadm: Could not perform SendTargets discovery: "
                    + errorText(24) + "\n"));
            assertEquals(21, iscsiadm("-m", "node").exit());

            iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "update",
                    "-n", "discovery.sendtargets.auth.password", "-v", DISCOVERY_ACCOUNT.secret());
            Split ok = iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "--discover");
            assertEquals(ok.toString(), 0, ok.exit());
            assertEquals(ok.toString(), foundLines(ALPHA, BETA), lines(ok.stdout()));
            Split shown = iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "show");
            assertTrue(shown.toString(), shown.stdout().contains("discovery.sendtargets.auth.password = ********\n"));
            for (Split s : List.of(none, wrong, ok, shown)) {
                assertFalse(s.toString(), (s.stdout() + s.stderr()).contains(DISCOVERY_ACCOUNT.secret())
                        || (s.stdout() + s.stderr()).contains(WRONG_SECRET));
            }
        } finally {
            tgtd.tgtadm().run("--op", "unbind", "--mode", "account", "--user", DISCOVERY_ACCOUNT.user());
            tgtd.deleteAccount(DISCOVERY_ACCOUNT.user());
        }
    }

    @Test
    public void deletingADiscoveryRecordASessionUsesIs15AndKeepsIt() throws Exception {
        assertEquals(0, iscsiadm("-m", "discovery", "-t", "st", "-p", st()).exit());
        Split in = iscsiadm("-m", "node", "-T", BETA, "-p", st(), "--login");
        assertEquals(in.toString(), 0, in.exit());
        Split del = iscsiadm("-m", "discoverydb", "-t", "st", "-p", st(), "-o", "delete");
        assertEquals(del.toString(), 15, del.exit());
        assertTrue(del.toString(), del.stderr().contains("target: " + BETA + ", portal: 127.0.0.1," + tgtd.port()
                + "], but a session is using it."));
        assertTrue(del.toString(), del.stderr().endsWith("iscsiadm: Unable to delete record!\n"));
        assertEquals("127.0.0.1:" + tgtd.port() + " via sendtargets\n", iscsiadm("-m", "discovery").stdout());
        assertEquals(Set.of("127.0.0.1:" + tgtd.port() + ",1 " + BETA), lines(iscsiadm("-m", "node").stdout()));
    }
}

package org.kiscsi.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.itests.Console.Ran;
import org.kiscsi.testkit.peers.FreePorts;
import org.kiscsi.testkit.peers.Isnsd;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.Tgtd;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Issues 15, 16 and 18 in the console: iscsi:discovery and iscsi:discoverydb-* print what bin/iscsiadm
 * -m discovery/discoverydb prints for the same state (stdout, stderr, exit code); the iscsi:lun-* commands
 * on the daemon's session print what the distribution's bin/kiscsi-* tools print for the same LUN (stdout
 * and exit code; a dd moves the same bytes with the same SHA-256); their completers; a viewer looks at LUNs
 * but neither discovers, nor writes a LUN, nor reserves one.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellDiscoveryAndLunIT extends KiscsiTestSupport {
    private static final String ALPHA = "iqn.2026-11.org.kiscsi.it:shell2-alpha";
    private static final String BETA = "iqn.2026-11.org.kiscsi.it:shell2-beta";
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:shell2-initiator";
    private static final int LUN_BYTES = 4 << 20;

    @Inject
    IscsiManagement management;

    @Inject
    SessionFactory sessionFactory;

    private Tgtd tgtd;
    private Console admin;

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(Arrays.asList(baseConfiguration()));
        o.add(CoreOptions.bundle(PeersBundle.build().toUri().toString()));
        o.add(replaceConfigurationFile("etc/iscsi/initiatorname.iscsi", initiatorNameFile("shell2-initiatorname.iscsi", INITIATOR)));
        return o.toArray(new Option[0]);
    }


    @Before
    public void startTgtd() throws Exception {
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.createTarget(ALPHA).allowAll().addLun(1, LunBacking.file(LUN_BYTES));
        tgtd.createTarget(BETA).allowAll().addLun(1, LunBacking.file(LUN_BYTES));
        admin = new Console(sessionFactory, "admin", "manager", "viewer");
        assertTrue("the iscsi commands are there", waitFor(() -> {
            try {
                admin.run("iscsi:discoverydb");
                admin.run("iscsi:lun-ls");
                return true;
            } catch (Exception e) {
                return false;
            }
        }, 60_000));
    }

    @After
    public void cleanUp() throws Exception {
        try {
            for (SessionDetails s : management.sessions().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                management.logoutSession(s.info().sid()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            for (DiscoveryRecord d : management.discoveryRecords(false).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                management.deleteDiscoveryRecord(d.type(), d.address()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            if (!management.nodes(NodeSelector.ALL, false).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty()) {
                management.deleteNodes(NodeSelector.ALL).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            tgtd.close();
        }
    }

    private String portal() {
        return tgtd.host() + ":" + tgtd.port();
    }

    private String url(String target) {
        return "iscsi://" + portal() + "/" + target;
    }

    /** The console command and bin/iscsiadm on the same state print the same (stdout, stderr, exit code). */
    private Ran same(String shell, String... iscsiadm) throws Exception {
        Ran ours = admin.run(shell);
        Ran theirs = Console.iscsiadm(iscsiadm);
        assertEquals("'" + shell + "' vs iscsiadm " + String.join(" ", iscsiadm) + "\nbin/iscsiadm: " + theirs + "\nconsole: " + ours,
                theirs, ours);
        return ours;
    }

    /** The console command and a bin/kiscsi-* tool on the same LUN print the same on stdout and end alike. */
    private Ran sameAsTool(String shell, String tool, String... args) throws Exception {
        Ran ours = admin.run(shell);
        Ran theirs = Console.bin(tool, args);
        String what = "'" + shell + "' vs " + tool + " " + String.join(" ", args) + "\nbin/" + tool + ": " + theirs + "\nconsole: " + ours;
        assertEquals(what, theirs.exit(), ours.exit());
        assertEquals(what, theirs.stdout(), ours.stdout());
        return ours;
    }

    private long sidOf(String target) throws Exception {
        return management.sessions().toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
                .filter(s -> s.info().node().target().value().equals(target)).findFirst().orElseThrow().info().sid();
    }

    private int sessionCount() throws Exception {
        return management.sessions().toCompletableFuture().get(30, TimeUnit.SECONDS).size();
    }

    private void logoutAll() throws Exception {
        for (SessionDetails s : management.sessions().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
            management.logoutSession(s.info().sid()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void discoveryCommandsPrintWhatIscsiadmPrints() throws Exception {
        // nothing yet: the bare lists and a record that is not there
        same("iscsi:discovery", "-m", "discovery");
        same("iscsi:discoverydb", "-m", "discoverydb");
        Ran none = same("iscsi:discoverydb -t st -p " + portal(), "-m", "discoverydb", "-t", "st", "-p", portal());
        assertTrue(none.toString(), none.exit() != 0);
        assertEquals(7, same("iscsi:discovery -t st", "-m", "discovery", "-t", "st").exit());
        assertEquals(7, same("iscsi:discovery -t slp -p " + portal(), "-m", "discovery", "-t", "slp", "-p", portal()).exit());
        assertEquals(7, same("iscsi:discovery -o new", "-m", "discovery", "-o", "new").exit());
        same("iscsi:discoverydb -p " + portal(), "-m", "discoverydb", "-p", portal());
        same("iscsi:discoverydb-new -p " + portal(), "-m", "discoverydb", "-p", portal(), "-o", "new");

        // a discovery, then again (records updated): both print the target portals found
        Ran found = same("iscsi:discovery -t st -p " + portal(), "-m", "discovery", "-t", "st", "-p", portal());
        assertTrue(found.toString(), found.stdout().contains(portal() + ",1 " + ALPHA + "\n") && found.stdout().contains(BETA));
        same("iscsi:discovery -t sendtargets -p " + portal() + " -P 1", "-m", "discovery", "-t", "sendtargets", "-p", portal(), "-P", "1");
        same("iscsi:discovery -t st -p " + portal() + " -o nonpersistent", "-m", "discovery", "-t", "st", "-p", portal(), "-o", "nonpersistent");
        same("iscsi:discovery", "-m", "discovery");
        same("iscsi:discovery -P 1", "-m", "discovery", "-P", "1");
        same("iscsi:discoverydb -P 1", "-m", "discoverydb", "-P", "1");
        same("iscsi:discovery -p " + portal(), "-m", "discovery", "-p", portal());
        same("iscsi:discoverydb -t st -p " + portal(), "-m", "discoverydb", "-t", "st", "-p", portal());
        same("iscsi:discoverydb -t st -p " + portal() + " -S", "-m", "discoverydb", "-t", "st", "-p", portal(), "-S");
        same("iscsi:discoverydb-update -t st -p " + portal() + " -n discovery.sendtargets.timeo.login_timeout -v 14",
                "-m", "discoverydb", "-t", "st", "-p", portal(), "-o", "update", "-n", "discovery.sendtargets.timeo.login_timeout", "-v", "14");
        Ran shown = same("iscsi:discoverydb -t st -p " + portal(), "-m", "discoverydb", "-t", "st", "-p", portal());
        assertTrue(shown.stdout(), shown.stdout().contains("discovery.sendtargets.timeo.login_timeout = 14\n"));
        assertEquals(7, same("iscsi:discoverydb-update -t st -p " + portal(), "-m", "discoverydb", "-t", "st", "-p", portal(), "-o", "update").exit());
        same("iscsi:discoverydb-update -t st -p " + portal() + " -n node.startup -v automatic",
                "-m", "discoverydb", "-t", "st", "-p", portal(), "-o", "update", "-n", "node.startup", "-v", "automatic");
        same("iscsi:discoverydb-discover -t st -p " + portal(), "-m", "discoverydb", "-t", "st", "-p", portal(), "--discover");
        same("iscsi:discoverydb-discover -t st -p " + portal() + " -o new -o update",
                "-m", "discoverydb", "-t", "st", "-p", portal(), "--discover", "-o", "new", "-o", "update");
        same("iscsi:discovery -t st -p " + portal() + " -o show", "-m", "discovery", "-t", "st", "-p", portal(), "-o", "show");
        assertEquals(7, same("iscsi:discovery -t st -p " + portal() + " -o nonpersistent -l",
                "-m", "discovery", "-t", "st", "-p", portal(), "-o", "nonpersistent", "-l").exit());
        same("iscsi:discovery -t isns -p " + tgtd.host() + ":1", "-m", "discovery", "-t", "isns", "-p", tgtd.host() + ":1");
        same("iscsi:discoverydb -t fw", "-m", "discoverydb", "-t", "fw");

        // -l logs in to each portal found: the console first, then (logged out again) bin/iscsiadm
        Ran loggedIn = admin.run("iscsi:discovery -t st -p " + portal() + " -l");
        assertEquals(loggedIn.toString(), 0, loggedIn.exit());
        assertEquals(2, sessionCount());
        logoutAll();
        assertEquals(loggedIn, Console.iscsiadm("-m", "discovery", "-t", "st", "-p", portal(), "-l"));
        logoutAll();
        Ran dbLogin = admin.run("iscsi:discoverydb-discover -t st -p " + portal() + " -l");
        assertEquals(dbLogin.toString(), 0, dbLogin.exit());
        logoutAll();
        assertEquals(dbLogin, Console.iscsiadm("-m", "discoverydb", "-t", "st", "-p", portal(), "--discover", "--login"));
        logoutAll();

        // delete: the console's and bin/iscsiadm's on the same record, re-created in between
        Ran deleted = admin.run("iscsi:discoverydb-delete -t st -p " + portal());
        assertEquals(deleted.toString(), 0, deleted.exit());
        Ran created = admin.run("iscsi:discoverydb-new -t st -p " + portal());
        assertEquals(deleted, Console.iscsiadm("-m", "discoverydb", "-t", "st", "-p", portal(), "-o", "delete"));
        assertEquals(created, Console.iscsiadm("-m", "discoverydb", "-t", "st", "-p", portal(), "-o", "new"));
        Ran deletedAgain = admin.run("iscsi:discovery -p " + portal() + " -o delete");
        assertEquals(0, Console.iscsiadm("-m", "discoverydb", "-t", "st", "-p", portal(), "-o", "new").exit());
        assertEquals(deletedAgain, Console.iscsiadm("-m", "discovery", "-p", portal(), "-o", "delete"));
        assertEquals(7, same("iscsi:discovery -p " + portal() + " -o delete", "-m", "discovery", "-p", portal(), "-o", "delete").exit());
        same("iscsi:discovery", "-m", "discovery");
    }

    /** -t isns in the console: a discovery through isnsd and the isns_config record's operations, as bin/iscsiadm. */
    @Test
    public void isnsDiscoveryAndRecordsPrintWhatIscsiadmPrints() throws Exception {
        try (Isnsd isnsd = Isnsd.configure().start()) {
            isnsd.admin().register("tgtd", portal(), List.of(ALPHA, BETA));
            String server = "127.0.0.1:" + isnsd.port();
            Ran found = same("iscsi:discovery -t isns -p " + server, "-m", "discovery", "-t", "isns", "-p", server);
            assertEquals(found.toString(), 0, found.exit());
            assertTrue(found.stdout(), found.stdout().contains(portal() + ",1 " + ALPHA + "\n"));
            assertTrue(found.stdout(), found.stdout().contains(portal() + ",1 " + BETA + "\n"));
            same("iscsi:discoverydb-new -t isns -p " + server, "-m", "discoverydb", "-t", "isns", "-p", server, "-o", "new");
            same("iscsi:discoverydb -t isns -p " + server, "-m", "discoverydb", "-t", "isns", "-p", server);
            same("iscsi:discoverydb-update -t isns -p " + server + " -n discovery.isns.discoveryd_poll_inval -v 60",
                    "-m", "discoverydb", "-t", "isns", "-p", server, "-o", "update", "-n", "discovery.isns.discoveryd_poll_inval",
                    "-v", "60");
            Ran shown = same("iscsi:discoverydb -t isns -p " + server, "-m", "discoverydb", "-t", "isns", "-p", server, "-o", "show");
            assertTrue(shown.stdout(), shown.stdout().contains("discovery.sendtargets.address = 127.0.0.1\n"));
            assertTrue(shown.stdout(), shown.stdout().contains("discovery.isns.discoveryd_poll_inval = 60\n"));
            same("iscsi:discoverydb-discover -t isns -p " + server, "-m", "discoverydb", "-t", "isns", "-p", server, "--discover");
            same("iscsi:discovery", "-m", "discovery");
            same("iscsi:discovery -P 1", "-m", "discovery", "-P", "1");

            Ran deleted = admin.run("iscsi:discoverydb-delete -t isns -p " + server);
            assertEquals(deleted.toString(), 0, deleted.exit());
            Ran created = admin.run("iscsi:discoverydb-new -t isns -p " + server);
            assertEquals(deleted, Console.iscsiadm("-m", "discoverydb", "-t", "isns", "-p", server, "-o", "delete"));
            assertEquals(created, Console.iscsiadm("-m", "discoverydb", "-t", "isns", "-p", server, "-o", "new"));

            int closed = FreePorts.pick(Loopback.IPV4);
            assertEquals(17, same("iscsi:discovery -t isns -p 127.0.0.1:" + closed, "-m", "discovery", "-t", "isns",
                    "-p", "127.0.0.1:" + closed).exit());
        }
    }

    @Test
    public void lunCommandsPrintWhatTheToolsPrint() throws Exception {
        assertEquals(0, admin.run("iscsi:node-new -T " + ALPHA + " -p " + portal()).exit());
        assertEquals(0, admin.run("iscsi:node-login -T " + ALPHA + " -p " + portal()).exit());
        String sid = Long.toString(sidOf(ALPHA));

        Ran ls = sameAsTool("iscsi:lun-ls -r " + sid, "kiscsi-ls", url(ALPHA));
        assertTrue(ls.toString(), ls.stdout().startsWith("Target:" + ALPHA + " Portal:" + portal() + "\n") && ls.stdout().contains("Lun:1"));
        sameAsTool("iscsi:lun-ls " + url(ALPHA), "kiscsi-ls", url(ALPHA));
        sameAsTool("iscsi:lun-ls", "kiscsi-ls", url(ALPHA));
        Ran inq = sameAsTool("iscsi:lun-inq -r " + sid + " -l 1", "kiscsi-inq", url(ALPHA) + "/1");
        assertTrue(inq.toString(), inq.stdout().contains("Peripheral Device Type"));
        sameAsTool("iscsi:lun-inq " + url(ALPHA) + "/1", "kiscsi-inq", url(ALPHA) + "/1");
        sameAsTool("iscsi:lun-inq -r " + sid + " -l 1 -e 1 -c 0x80", "kiscsi-inq", "-e", "1", "-c", "0x80", url(ALPHA) + "/1");
        sameAsTool("iscsi:lun-inq -r " + sid + " -l 1 -a", "kiscsi-inq", "-a", url(ALPHA) + "/1");
        sameAsTool("iscsi:lun-inq -r " + sid + " -l 0", "kiscsi-inq", url(ALPHA) + "/0");
        Ran cap = sameAsTool("iscsi:lun-readcap -r " + sid + " -l 1", "kiscsi-readcap", url(ALPHA) + "/1");
        assertTrue(cap.toString(), cap.stdout().contains("Total size:" + LUN_BYTES + "\n"));
        sameAsTool("iscsi:lun-readcap -s " + url(ALPHA) + "/1", "kiscsi-readcap", "-s", url(ALPHA) + "/1");
        // an unknown LUN: 21 from both
        assertEquals(21, sameAsTool("iscsi:lun-readcap -r " + sid + " -l 7", "kiscsi-readcap", url(ALPHA) + "/7").exit());
        assertEquals(21, sameAsTool("iscsi:lun-inq -r " + sid + " -l 7", "kiscsi-inq", url(ALPHA) + "/7").exit());

        // the shell never logs in for a URL, and refuses login settings in one
        Ran noSession = admin.run("iscsi:lun-inq " + url(BETA) + "/1");
        assertTrue(noSession.toString(), noSession.exit() != 0 && noSession.stderr().contains("iscsi:node-login -T " + BETA));
        Ran withUser = admin.run("iscsi:lun-inq 'iscsi://alice%not-here@" + portal() + "/" + ALPHA + "/1'");
        assertEquals(withUser.toString(), 1, withUser.exit());
        assertTrue(withUser.toString(), !withUser.toString().contains("not-here"));
        assertEquals(1, admin.run("iscsi:lun-readcap -r " + sid).exit());
        assertEquals(1, sessionCount());

        // dd both ways: what the console writes, bin/kiscsi-dd reads back, and the other way round
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("karaf.home")), "dd-");
        byte[] first = new byte[LUN_BYTES];
        new Random(18).nextBytes(first);
        Files.write(dir.resolve("first.img"), first);
        Ran write = admin.run("iscsi:lun-dd -r " + sid + " -l 1 if=" + dir.resolve("first.img") + " bs=1M");
        assertEquals(write.toString(), 0, write.exit());
        Ran readBack = Console.bin("kiscsi-dd", "if=" + url(ALPHA) + "/1", "of=" + dir.resolve("back.img"), "bs=1M");
        assertEquals(readBack.toString(), 0, readBack.exit());
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("back.img")));
        assertEquals(sha(write), sha(readBack));
        byte[] second = new byte[LUN_BYTES];
        new Random(19).nextBytes(second);
        Files.write(dir.resolve("second.img"), second);
        assertEquals(0, Console.bin("kiscsi-dd", "if=" + dir.resolve("second.img"), "of=" + url(ALPHA) + "/1", "bs=1M").exit());
        Ran read = admin.run("iscsi:lun-dd if=" + url(ALPHA) + "/1 of=" + dir.resolve("read.img") + " bs=64K count=16 skip=2");
        assertEquals(read.toString(), 0, read.exit());
        assertArrayEquals(Arrays.copyOfRange(second, 2 << 16, 18 << 16), Files.readAllBytes(dir.resolve("read.img")));
        Ran theirs = Console.bin("kiscsi-dd", "if=" + url(ALPHA) + "/1", "of=" + dir.resolve("read2.img"), "bs=64K", "count=16", "skip=2");
        assertEquals(sha(theirs), sha(read));
        assertEquals(1, admin.run("iscsi:lun-dd -r " + sid + " -l 1 of=-").exit());

        // reservations: what the console registers and reserves, both read back alike
        Ran pr = admin.run("iscsi:lun-pr -r " + sid + " -l 1 register 0xa1 reserve 0xa1 we");
        assertEquals(pr.toString(), 0, pr.exit());
        Ran keys = sameAsTool("iscsi:lun-pr -r " + sid + " -l 1 keys", "kiscsi-pr", url(ALPHA) + "/1", "keys");
        assertTrue(keys.toString(), keys.stdout().contains("0xa1"));
        Ran held = sameAsTool("iscsi:lun-pr " + url(ALPHA) + "/1 reservation", "kiscsi-pr", url(ALPHA) + "/1", "reservation");
        assertTrue(held.toString(), held.stdout().contains("Key=0xa1"));
        assertEquals(1, admin.run("iscsi:lun-pr -r " + sid + " -l 1 reserve").exit());
        assertEquals(0, admin.run("iscsi:lun-pr -r " + sid + " -l 1 release 0xa1 we unregister 0xa1").exit());
        sameAsTool("iscsi:lun-pr -r " + sid + " -l 1 show", "kiscsi-pr", url(ALPHA) + "/1", "show");

        // completers: discovery portals, discovery keys, the session's LUNs
        assertEquals(0, admin.run("iscsi:discoverydb-new -t st -p " + portal()).exit());
        assertEquals(List.of(portal()), admin.complete("iscsi:discoverydb -t st -p "));
        assertEquals(List.of("discovery.sendtargets.timeo.active_timeout", "discovery.sendtargets.timeo.auth_timeout",
                "discovery.sendtargets.timeo.login_timeout"), sorted(admin.complete("iscsi:discoverydb-update -n discovery.sendtargets.timeo.")));
        assertEquals(List.of("CHAP", "None"), sorted(admin.complete("iscsi:discoverydb-update -n discovery.sendtargets.auth.authmethod -v ")));
        assertEquals(List.of("0", "1"), sorted(admin.complete("iscsi:lun-inq -r " + sid + " -l ")));
        assertEquals(List.of(sid), admin.complete("iscsi:lun-readcap -r "));
    }

    private static String sha(Ran r) {
        return r.stderr().lines().filter(l -> l.startsWith("sha256 ")).findFirst().orElseThrow(() -> new AssertionError("no sha256 in " + r));
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    @Test
    public void aViewerLooksAtLunsButNeitherDiscoversNorWritesNorReserves() throws Exception {
        assertEquals(0, admin.run("iscsi:node-new -T " + ALPHA + " -p " + portal()).exit());
        assertEquals(0, admin.run("iscsi:node-login -T " + ALPHA).exit());
        String sid = Long.toString(sidOf(ALPHA));
        Console viewer = new Console(sessionFactory, "viewer");
        Console manager = new Console(sessionFactory, "manager", "viewer");
        assertEquals(admin.run("iscsi:lun-ls"), viewer.run("iscsi:lun-ls"));
        assertEquals(admin.run("iscsi:lun-inq -r " + sid + " -l 1"), viewer.run("iscsi:lun-inq -r " + sid + " -l 1"));
        assertEquals(admin.run("iscsi:lun-readcap -r " + sid + " -l 1"), viewer.run("iscsi:lun-readcap -r " + sid + " -l 1"));
        Path img = Files.createTempFile(Path.of(System.getProperty("karaf.home")), "viewer-", ".img");
        for (Console c : List.of(viewer, manager)) {
            assertRefused(c, "iscsi:discovery");
            assertRefused(c, "iscsi:discovery -t st -p " + portal());
            assertRefused(c, "iscsi:discoverydb");
            assertRefused(c, "iscsi:discoverydb-new -t st -p " + portal());
            assertRefused(c, "iscsi:discoverydb-update -t st -p " + portal() + " -n discovery.startup -v automatic");
            assertRefused(c, "iscsi:discoverydb-delete -t st -p " + portal());
            assertRefused(c, "iscsi:discoverydb-discover -t st -p " + portal());
            assertRefused(c, "iscsi:lun-dd -r " + sid + " -l 1 if=" + img);
            assertRefused(c, "iscsi:lun-pr -r " + sid + " -l 1 register 0xb2");
        }
        assertTrue("no discovery record written",
                management.discoveryRecords(false).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty());
        assertEquals(1, management.nodes(NodeSelector.ALL, false).toCompletableFuture().get(30, TimeUnit.SECONDS).size());
        Ran keys = admin.run("iscsi:lun-pr -r " + sid + " -l 1 keys");
        assertTrue(keys.toString(), keys.stdout().contains("NO registered reservation keys"));
    }

    private static void assertRefused(Console c, String command) throws Exception {
        try {
            Ran r = c.run(command);
            fail(command + " was not refused: " + r);
        } catch (SecurityException e) {
            // refused by the command ACL (or hidden from the user)
        } catch (Exception e) {
            assertTrue(command + ": " + e, e.toString().contains("Insufficient credentials") || e.toString().contains("not found"));
        }
    }
}

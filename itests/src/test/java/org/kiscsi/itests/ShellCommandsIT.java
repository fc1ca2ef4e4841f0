package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.kiscsi.api.session.SessionState;
import org.kiscsi.itests.Console.Ran;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.Tgtd;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Issue 16 in the distribution: every iscsi:* command run through Karaf's console against a tgtd of
 * the test's own prints what the distribution's bin/iscsiadm prints for the same state (run both,
 * compare stdout, stderr and exit code); the completers offer what the daemon has; the command ACLs
 * keep a viewer to listing; the shell bundle stopped and started leaves the sessions up.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends KiscsiTestSupport {
    private static final String ALPHA = "iqn.2026-11.org.kiscsi.it:shell-alpha";
    private static final String BETA = "iqn.2026-11.org.kiscsi.it:shell-beta";
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:shell-initiator";

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
        o.add(replaceConfigurationFile("etc/iscsi/initiatorname.iscsi", initiatorNameFile("shell-initiatorname.iscsi", INITIATOR)));
        return o.toArray(new Option[0]);
    }


    @Before
    public void startTgtd() throws Exception {
        tgtd = Tgtd.start(Loopback.IPV4);
        tgtd.createTarget(ALPHA).allowAll().addLun(1, LunBacking.file(8 << 20));
        tgtd.createTarget(BETA).allowAll().addLun(1, LunBacking.file(8 << 20));
        admin = new Console(sessionFactory, "admin", "manager", "viewer");
        assertTrue("the iscsi commands are there", waitFor(() -> {
            try {
                admin.run("iscsi:iface");
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
            if (!management.nodes(NodeSelector.ALL, false).toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty()) {
                management.deleteNodes(NodeSelector.ALL).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            if (management.ifaces().toCompletableFuture().get(30, TimeUnit.SECONDS).stream().anyMatch(i -> i.name().equals("shellif"))) {
                management.deleteIface("shellif").toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            tgtd.close();
        }
    }

    private String portal() {
        return tgtd.host() + ":" + tgtd.port();
    }

    /** Runs the console command and bin/iscsiadm on the same state; both must print the same. */
    private Ran same(String shell, String... iscsiadm) throws Exception {
        Ran ours = admin.run(shell);
        Ran theirs = Console.iscsiadm(iscsiadm);
        assertEquals("'" + shell + "' vs iscsiadm " + String.join(" ", iscsiadm) + "\nbin/iscsiadm: " + theirs + "\nconsole: " + ours,
                theirs, ours);
        return ours;
    }

    private long sidOf(String target) throws Exception {
        return management.sessions().toCompletableFuture().get(30, TimeUnit.SECONDS).stream()
                .filter(s -> s.info().node().target().value().equals(target)).findFirst().orElseThrow().info().sid();
    }

    @Test
    public void everyCommandPrintsWhatIscsiadmPrints() throws Exception {
        // records: new (as open-iscsi, a second new replaces the record: same output), list, show, update
        Ran created = same("iscsi:node-new -T " + ALPHA + " -p " + portal(), "-m", "node", "-o", "new", "-T", ALPHA, "-p", portal());
        assertTrue(created.toString(), created.stdout().startsWith("New iSCSI node [tcp:"));
        same("iscsi:node-new -T " + BETA + " -p " + portal(), "-m", "node", "-o", "new", "-T", BETA, "-p", portal());
        same("iscsi:node", "-m", "node");
        same("iscsi:node -P 1", "-m", "node", "-P", "1");
        same("iscsi:node -T " + ALPHA, "-m", "node", "-T", ALPHA);
        same("iscsi:node-show", "-m", "node", "-o", "show");
        Ran upd = same("iscsi:node-update -T " + ALPHA + " -p " + portal() + " -n 'node.conn[0].timeo.noop_out_interval' -v 0"
                + " -n node.session.timeo.replacement_timeout -v 17", "-m", "node", "-T", ALPHA, "-p", portal(), "-o", "update",
                "-n", "node.conn[0].timeo.noop_out_interval", "-v", "0", "-n", "node.session.timeo.replacement_timeout", "-v", "17");
        assertEquals(upd.toString(), "", upd.stdout());
        Ran shown = same("iscsi:node -T " + ALPHA + " -p " + portal(), "-m", "node", "-T", ALPHA, "-p", portal());
        assertTrue(shown.stdout(), shown.stdout().contains("node.session.timeo.replacement_timeout = 17\n"));
        same("iscsi:node-update -T " + BETA + " -n 'node.conn[0].timeo.noop_out_interval' -v 0",
                "-m", "node", "-T", BETA, "-o", "update", "-n", "node.conn[0].timeo.noop_out_interval", "-v", "0");
        Ran refused = same("iscsi:node-update -T " + ALPHA + " -n node.startup -v sometimes",
                "-m", "node", "-T", ALPHA, "-o", "update", "-n", "node.startup", "-v", "sometimes");
        assertEquals(refused.toString(), 7, refused.exit());
        Ran none = same("iscsi:node -T iqn.2026-11.org.kiscsi.it:nothing", "-m", "node", "-T", "iqn.2026-11.org.kiscsi.it:nothing");
        assertEquals(none.toString(), 21, none.exit());
        same("iscsi:session", "-m", "session");

        // login: in the same state (no session) both print the same; a second login is refused alike
        Ran login = admin.run("iscsi:node-login -T " + ALPHA + " -p " + portal());
        assertEquals(login.toString(), 0, login.exit());
        assertTrue(login.toString(), login.stdout().endsWith(" successful.\n"));
        management.logoutSession(sidOf(ALPHA)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(login, Console.iscsiadm("-m", "node", "-T", ALPHA, "-p", portal(), "--login"));
        Ran again = same("iscsi:node-login -T " + ALPHA + " -p " + portal(), "-m", "node", "-T", ALPHA, "-p", portal(), "--login");
        assertEquals(again.toString(), 15, again.exit());
        assertEquals(0, admin.run("iscsi:node-login -T " + BETA).exit());
        String alpha = Long.toString(sidOf(ALPHA));

        // sessions at every print level, one session, its record, counters, rescan; hosts; -S as admin
        for (String level : List.of("0", "1", "2", "3")) {
            same("iscsi:session -P " + level, "-m", "session", "-P", level);
            same("iscsi:session -r " + alpha + " -P " + level, "-m", "session", "-r", alpha, "-P", level);
        }
        Ran p3 = same("iscsi:session", "-m", "session");
        assertEquals(p3.toString(), 2, p3.stdout().lines().count());
        same("iscsi:session -P 2 -S", "-m", "session", "-P", "2", "-S");
        same("iscsi:session -r " + alpha, "-m", "session", "-r", alpha);
        same("iscsi:session-stats -r " + alpha, "-m", "session", "-r", alpha, "-s");
        same("iscsi:session-rescan -r " + alpha, "-m", "session", "-r", alpha, "-R");
        same("iscsi:session -r 999", "-m", "session", "-r", "999");
        for (String level : List.of("0", "1", "2", "3", "4")) {
            same("iscsi:host -P " + level, "-m", "host", "-P", level);
        }
        same("iscsi:host", "-m", "host");

        // ifaces: list, tree, new, show, update, delete
        same("iscsi:iface", "-m", "iface");
        same("iscsi:iface -P 1", "-m", "iface", "-P", "1");
        Ran ifNew = admin.run("iscsi:iface-new -I shellif -n iface.ipaddress -v 127.0.0.1");
        Ran ifDel = admin.run("iscsi:iface-delete -I shellif");
        assertEquals(ifNew, Console.iscsiadm("-m", "iface", "-I", "shellif", "-o", "new", "-n", "iface.ipaddress", "-v", "127.0.0.1"));
        same("iscsi:iface -I shellif", "-m", "iface", "-I", "shellif");
        same("iscsi:iface-update -I shellif -n iface.ipaddress -v 127.0.0.2", "-m", "iface", "-I", "shellif", "-o", "update",
                "-n", "iface.ipaddress", "-v", "127.0.0.2");
        same("iscsi:iface-delete -I default", "-m", "iface", "-I", "default", "-o", "delete");
        assertEquals(ifDel, Console.iscsiadm("-m", "iface", "-I", "shellif", "-o", "delete"));

        // logout by sid and by record: the same text, but for the sid of the session each logged out of
        Ran out = admin.run("iscsi:session-logout -r " + alpha);
        assertEquals(out.toString(), 0, out.exit());
        assertEquals(0, Console.iscsiadm("-m", "node", "-T", ALPHA, "--login").exit());
        String alpha2 = Long.toString(sidOf(ALPHA));
        assertEquals(out, withSid(Console.iscsiadm("-m", "session", "-r", alpha2, "-u"), alpha2, alpha));
        String beta = Long.toString(sidOf(BETA));
        Ran outB = admin.run("iscsi:node-logout -T " + BETA);
        assertEquals(0, Console.iscsiadm("-m", "node", "-T", BETA, "--login").exit());
        String beta2 = Long.toString(sidOf(BETA));
        assertEquals(outB, withSid(Console.iscsiadm("-m", "node", "-T", BETA, "--logout"), beta2, beta));
        assertEquals(21, same("iscsi:session", "-m", "session").exit());
        same("iscsi:node-logout -T " + BETA, "-m", "node", "-T", BETA, "--logout");

        // delete: silent, then nothing to list
        assertEquals(admin.run("iscsi:node-delete -T " + BETA), Console.iscsiadm("-m", "node", "-T", ALPHA, "-o", "delete"));
        assertEquals(21, same("iscsi:node", "-m", "node").exit());
    }

    private static Ran withSid(Ran r, String from, String to) {
        return new Ran(r.exit(), r.stdout().replace("[sid: " + from + ",", "[sid: " + to + ","),
                r.stderr().replace("[sid: " + from + ",", "[sid: " + to + ","));
    }

    @Test
    public void completersOfferWhatTheDaemonHas() throws Exception {
        assertEquals(0, admin.run("iscsi:node-new -T " + ALPHA + " -p " + portal()).exit());
        assertEquals(0, admin.run("iscsi:node-update -T " + ALPHA + " -n 'node.conn[0].timeo.noop_out_interval' -v 0").exit());
        assertEquals(0, admin.run("iscsi:iface-new -I shellif").exit());
        assertEquals(List.of(ALPHA), admin.complete("iscsi:node-login -T "));
        assertEquals(List.of(portal()), admin.complete("iscsi:node-login -T " + ALPHA + " -p "));
        assertEquals(List.of("default", "iser", "shellif"), admin.complete("iscsi:node-login -I "));
        List<String> keys = admin.complete("iscsi:node-update -n node.session.timeo.");
        assertEquals(keys.toString(), List.of("node.session.timeo.replacement_timeout"), keys);
        List<String> all = admin.complete("iscsi:node-update -n ");
        assertTrue(all.toString(), all.contains("node.startup") && all.contains("node.session.scsi.cmd_timeout")
                && !all.contains("node.name") && !all.contains("iface.ipaddress"));
        assertEquals(List.of("automatic", "manual", "onboot"), sorted(admin.complete("iscsi:node-update -n node.startup -v ")));
        assertEquals(List.of("CRC32C", "CRC32C,None", "None", "None,CRC32C"),
                sorted(admin.complete("iscsi:node-update -n 'node.conn[0].iscsi.HeaderDigest' -v ")));
        assertEquals(List.of("tcp"), admin.complete("iscsi:node-update -n iface.transport_name -v "));
        assertEquals(List.of("tcp"), admin.complete("iscsi:iface-update -I shellif -n iface.transport_name -v "));
        assertTrue(admin.complete("iscsi:iface-update -I shellif -n iface.ip").contains("iface.ipaddress"));
        assertEquals(List.of(), admin.complete("iscsi:session -r "));
        assertEquals(0, admin.run("iscsi:node-login -T " + ALPHA).exit());
        assertEquals(List.of(Long.toString(sidOf(ALPHA))), admin.complete("iscsi:session-stats -r "));
        assertEquals(List.of("all", "automatic", "manual", "onboot"), sorted(admin.complete("iscsi:node-login -L ")));
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    @Test
    public void aViewerListsButNeitherLogsInNorChangesNorSeesSecrets() throws Exception {
        assertEquals(0, admin.run("iscsi:node-new -T " + ALPHA + " -p " + portal()).exit());
        Console viewer = new Console(sessionFactory, "viewer");
        Console manager = new Console(sessionFactory, "manager", "viewer");
        assertEquals(Console.iscsiadm("-m", "node"), viewer.run("iscsi:node"));
        assertEquals(0, viewer.run("iscsi:node-show -T " + ALPHA).exit());
        assertRefused(viewer, "iscsi:node-show -T " + ALPHA + " -S");
        assertRefused(viewer, "iscsi:node --show");
        assertRefused(viewer, "iscsi:node-login -T " + ALPHA);
        assertRefused(viewer, "iscsi:node-update -T " + ALPHA + " -n node.startup -v automatic");
        assertRefused(manager, "iscsi:node-update -T " + ALPHA + " -n node.startup -v automatic");
        assertRefused(manager, "iscsi:iface-new -I shellif");
        assertTrue("nothing logged in", management.sessions().toCompletableFuture().get(30, TimeUnit.SECONDS).isEmpty());
        Ran in = manager.run("iscsi:node-login -T " + ALPHA);
        assertEquals("a manager logs in: " + in, 0, in.exit());
        assertEquals(0, manager.run("iscsi:node-logout -T " + ALPHA).exit());
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

    @Test
    public void theShellBundleStoppedAndStartedLeavesTheSessionsUp() throws Exception {
        assertEquals(0, admin.run("iscsi:node-new -T " + ALPHA + " -p " + portal()).exit());
        assertEquals(0, admin.run("iscsi:node-login -T " + ALPHA).exit());
        long sid = sidOf(ALPHA);
        Ran before = admin.run("iscsi:session");
        Bundle shell = bundle("org.kiscsi.shell");
        shell.stop();
        try {
            admin.run("iscsi:session");
            fail("iscsi:session still there with the shell bundle stopped");
        } catch (Exception e) {
            assertFalse(e.toString(), e.getClass().getSimpleName().equals("IscsiadmFailure"));
        }
        Thread.sleep(2000);
        SessionDetails s = management.session(sid).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(SessionState.LOGGED_IN, s.info().state());
        List<TgtShow.Nexus> nexuses = TgtdSessions.of(tgtd, ALPHA);
        assertEquals(nexuses.toString(), 1, nexuses.size());
        shell.start();
        assertTrue("the iscsi commands are back", waitFor(() -> {
            try {
                return admin.run("iscsi:session").equals(before);
            } catch (Exception e) {
                return false;
            }
        }, 30_000));
        shell.update();
        assertTrue("the iscsi commands are back after an update", waitFor(() -> {
            try {
                return admin.run("iscsi:session").equals(before);
            } catch (Exception e) {
                return false;
            }
        }, 30_000));
        assertEquals(1, TgtdSessions.of(tgtd, ALPHA).size());
        assertEquals(SessionState.LOGGED_IN, management.session(sid).toCompletableFuture().get(30, TimeUnit.SECONDS).info().state());
    }
}

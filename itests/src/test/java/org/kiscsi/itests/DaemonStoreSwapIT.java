package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.kiscsi.itests.UnpackedDistribution.tail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.kiscsi.itests.UnpackedDistribution.Result;
import org.kiscsi.testkit.peers.TgtShow;

/**
 * Issue 7 on the running distribution: swapping store-memory and store-file under a running daemon
 * (etc/org.kiscsi.iscsid.cfg edited, Karaf's fileinstall hands it to Config Admin) loses nothing
 * written to the file store and keeps the sessions up; stopping the store-file bundle degrades the
 * daemon until the bundle is back. Bundles are stopped through bin/client, with a user of this test's
 * own added to the unpacked copy's etc/users.properties (the shipped one has none).
 */
public class DaemonStoreSwapIT extends DaemonAgainstTgtd {
    private static final String DISK = "iqn.2026-11.org.kiscsi.it:swap-disk";
    private static final String STORE_FILE_BUNDLE = "org.kiscsi.store.file";
    private static final long SWAP_TIMEOUT_S = 60;
    private static final String CLIENT_USER = "kiscsi-itest";

    private static String clientPassword;

    @BeforeClass
    public static void setUp() throws Exception {
        startPeers(DISK);
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        clientPassword = HexFormat.of().formatHex(random);
        Files.writeString(dist.home().resolve("etc/users.properties"), "\n" + CLIENT_USER + " = " + clientPassword
                + ",_g_:itestgroup\n_g_\\:itestgroup = group,admin,manager,viewer,systembundles,ssh\n", StandardOpenOption.APPEND);
    }

    @Override
    @Before
    public void emptyDatabase() throws Exception {
        super.emptyDatabase();
        setNodeStore("file");
    }

    @Override
    @After
    public void stopDaemons() throws Exception {
        super.stopDaemons();
        setNodeStore("file");
    }

    private static void setNodeStore(String name) throws Exception {
        UnpackedDistribution.setLine(dist.home().resolve("etc/org.kiscsi.iscsid.cfg"), "node.store", name);
    }

    private Result node(String op) throws Exception {
        return dist.bin("iscsiadm", "-m", "node", "-T", DISK, "-p", portal(), op);
    }

    /** Polls iscsiadm -m daemon until {@code key} has {@code value}; fails naming the last status. */
    private void awaitStatus(String key, String value) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SWAP_TIMEOUT_S);
        Result r = dist.bin("iscsiadm", "-m", "daemon");
        while (!r.value(key).orElse("").equals(value) && System.nanoTime() < end) {
            Thread.sleep(500);
            r = dist.bin("iscsiadm", "-m", "daemon");
        }
        assertEquals("iscsiadm -m daemon: " + r.output(), value, r.value(key).orElse("<missing>"));
    }

    /** One Karaf shell command through bin/client; stdin stays open (Karaf 4.4.10 closes on EOF, pitfall 4). */
    private Result karaf(String command) throws Exception {
        Path out = Files.createTempFile(dist.tmp(), "client-", ".out");
        ProcessBuilder pb = dist.command("bin/client", "-r", "10", "-d", "1", "-u", CLIENT_USER, "-p", clientPassword, command);
        pb.environment().put("KARAF_OPTS", "-Duser.home=" + dist.tmp()); // known hosts stay in the scratch directory
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("bin/client '" + command + "' did not finish within 60 s: " + Files.readString(out));
            }
        } finally {
            p.getOutputStream().close();
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The session a daemon on the file store holds to {@link #DISK}, and the record files then. */
    private record LoggedIn(String initiator, TgtShow.Nexus session, Map<String, String> onDisk) {
    }

    /** Writes a record for {@link #DISK}, starts the daemon on the file store and logs in with it. */
    private LoggedIn loggedInOnTheFileStore() throws Exception {
        records.write(DISK, tgtd.portal(), false);
        dist.startWithEngine();
        String initiator = records.initiatorName();
        assertEquals(0, node("--login").exit());
        return new LoggedIn(initiator, TgtdSessions.awaitOne(tgtd, DISK, initiator), records.recordFiles());
    }

    @Test
    public void swappingFileToMemoryAndBackLosesNothingOnDiskAndKeepsTheSession() throws Exception {
        LoggedIn in = loggedInOnTheFileStore();
        String initiator = in.initiator();
        TgtShow.Nexus session = in.session();
        Map<String, String> onDisk = in.onDisk();
        assertFalse(onDisk.isEmpty());
        long mark = dist.logMark();

        setNodeStore("memory");
        awaitStatus("node_store.name", "memory");
        assertEquals("open", dist.status("node_store.state"));
        assertEquals("running", dist.status("iscsid.state"));
        assertEquals(records.storeRoot().toString(), dist.status("node_store.root"));
        assertEquals("1", dist.status("sessions"));
        assertEquals("the same session at tgtd: nothing logged out or in", session.id(), TgtdSessions.awaitOne(tgtd, DISK, initiator).id());
        Result inMemory = node("--login");
        assertEquals("the memory store has no record for " + DISK + ": " + inMemory.output(), 21, inMemory.exit());
        assertEquals("the file store's records must stay byte-identical while memory is in use", onDisk, records.recordFiles());

        setNodeStore("file");
        awaitStatus("node_store.name", "file");
        assertEquals("open", dist.status("node_store.state"));
        assertEquals(onDisk, records.recordFiles());
        assertEquals(session.id(), TgtdSessions.awaitOne(tgtd, DISK, initiator).id());
        String log = dist.logSince(mark);
        assertTrue(tail(log), log.contains("node store swapped from 'file' to 'memory'"));
        assertTrue(tail(log), log.contains("node store swapped from 'memory' to 'file'"));
        assertFalse("the swaps must not restart the daemon: " + tail(log), log.contains("iscsid stopped"));

        assertEquals(0, node("--logout").exit());
        TgtdSessions.awaitNone(tgtd, DISK);
        Result again = node("--login");
        assertEquals("back on the file store, its record logs in again: " + again.output(), 0, again.exit());
        assertTrue(again.output(), again.output().contains("successful."));
        assertTrue("a new session", session.id() != TgtdSessions.awaitOne(tgtd, DISK, initiator).id());
    }

    @Test
    public void stoppingTheFileStoreBundleDegradesTheDaemonUntilItIsStartedAgain() throws Exception {
        LoggedIn in = loggedInOnTheFileStore();
        String initiator = in.initiator();
        TgtShow.Nexus session = in.session();
        Map<String, String> onDisk = in.onDisk();

        Result stop = karaf("bundle:stop " + STORE_FILE_BUNDLE);
        assertEquals("bin/client bundle:stop: " + stop.output(), 0, stop.exit());
        awaitStatus("iscsid.state", "degraded (node store 'file' went away)");
        assertEquals("node store 'file' went away", dist.status("node_store.state"));
        assertEquals("memory", dist.status("providers.node_store"));
        assertEquals("1", dist.status("sessions"));
        assertEquals(session.id(), TgtdSessions.awaitOne(tgtd, DISK, initiator).id());
        Result degraded = node("--login");
        assertEquals("IDBM while no node store is open: " + degraded.output(), 6, degraded.exit());
        assertTrue(degraded.output(), degraded.output().contains("the node store is not available"));

        Result start = karaf("bundle:start " + STORE_FILE_BUNDLE);
        assertEquals("bin/client bundle:start: " + start.output(), 0, start.exit());
        awaitStatus("iscsid.state", "running");
        assertEquals("open", dist.status("node_store.state"));
        assertEquals("file,memory", dist.status("providers.node_store"));
        assertEquals(onDisk, records.recordFiles());
        assertEquals(session.id(), TgtdSessions.awaitOne(tgtd, DISK, initiator).id());
        assertEquals(0, node("--logout").exit());
        TgtdSessions.awaitNone(tgtd, DISK);
        assertEquals(0, node("--login").exit());
        TgtdSessions.awaitOne(tgtd, DISK, initiator);
    }
}

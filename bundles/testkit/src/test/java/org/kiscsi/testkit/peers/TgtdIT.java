package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Tgtd} against the real tgtd, checked with libiscsi's tools. One tgtd for the class. */
class TgtdIT {
    private static final String PREFIX = "iqn.2026-11.org.kiscsi.testkit:tgtd-it-";
    private static final long MIB = 1024 * 1024;

    private static Tgtd tgtd;
    private static TgtTarget disks;
    private static LibiscsiTools tools;

    @BeforeAll
    static void startTgtd() {
        tools = LibiscsiTools.create();
        tgtd = Tgtd.start(Loopback.IPV4);
        disks = tgtd.createTarget(PREFIX + "disks");
        disks.addLun(1, LunBacking.nullDevice());
        disks.addLun(2, LunBacking.file(16 * MIB).blockSize(4096).thinProvisioned());
        disks.allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void secondTgtdStartsOnAnotherPortWhileTheFirstRuns() {
        try (Tgtd second = Tgtd.start(Loopback.IPV4)) {
            assertNotEquals(tgtd.port(), second.port());
            assertNotEquals(tgtd.tgtadm().socket(), second.tgtadm().socket());
            second.createTarget(PREFIX + "second").allowAll();
            assertEquals(List.of(PREFIX + "second"), iqns(tools.listTargets(second.portalUrl())));
            assertEquals(List.of(PREFIX + "disks"), iqns(tools.listTargets(tgtd.portalUrl())), "each tgtd has its own targets");
        }
        assertTrue(tgtd.isRunning(), "stopping the second tgtd left the first alone");
    }

    @Test
    void iscsiLsListsTargetsAndLunsWithThePortal() {
        List<ListedTarget> listed = tools.listTargetsWithLuns(tgtd.portalUrl());
        ListedTarget t = listed.stream().filter(l -> l.iqn().equals(disks.iqn())).findFirst().orElseThrow();
        assertEquals("127.0.0.1:" + tgtd.port() + ",1", t.portal());
        assertEquals(List.of(0, 1, 2), t.luns().stream().map(ListedTarget.Lun::lun).toList());
        assertEquals("STORAGE_ARRAY_CONTROLLER", t.luns().get(0).type());
        assertEquals("DIRECT_ACCESS", t.luns().get(2).type());
    }

    @Test
    void nullLunReadsAsOneTebibyteOf512ByteBlocks() {
        Inquiry inq = tools.inquiry(disks.url(1));
        assertEquals("DIRECT_ACCESS", inq.deviceType());
        assertEquals("IET", inq.vendor());
        assertEquals("VIRTUAL-DISK", inq.product());
        ReadCapacity c = tools.readCapacity16(disks.url(1));
        assertEquals(new ReadCapacity(2147483647L, 512, LunBacking.NULL_SIZE_BYTES, false, false), c);
    }

    @Test
    void fileLunHasTheCreatedSizeBlockSizeAndThinProvisioning() {
        ReadCapacity c = tools.readCapacity16(disks.url(2));
        assertEquals(16 * MIB / 4096 - 1, c.lastLba());
        assertEquals(4096, c.blockSize());
        assertEquals(16 * MIB, c.totalBytes());
        assertTrue(c.lbpme(), "thin_provisioning=1 sets LBPME");
        Path file = disks.lun(2).orElseThrow().file().orElseThrow();
        assertTrue(file.startsWith(tgtd.lunDirectory()));
        TgtShow.Lun shown = disks.show().lun(2).orElseThrow();
        assertEquals("rdwr", shown.backingStoreType());
        assertEquals(file.toString(), shown.backingStorePath());
        assertTrue(shown.thinProvisioning());
    }

    @Test
    void lunAddedWhileRunningShowsUpAndDeletedOneGoes() {
        TgtTarget t = tgtd.createTarget(PREFIX + "grows");
        t.allowAll();
        t.addLun(1, LunBacking.nullDevice());
        assertEquals(List.of(0, 1), luns(t));
        TgtLun added = t.addLun(3, LunBacking.file(8 * MIB));
        assertEquals(List.of(0, 1, 3), luns(t));
        assertEquals(8 * MIB, tools.readCapacity16(t.url(3)).totalBytes());
        t.deleteLun(3);
        assertEquals(List.of(0, 1), luns(t));
        assertFalse(Files.exists(added.file().orElseThrow()), "deleting the LUN deletes its file");
        t.delete();
        assertFalse(iqns(tools.listTargets(tgtd.portalUrl())).contains(t.iqn()));
    }

    @Test
    void chapTargetAcceptsTheRightSecretOnly() {
        ChapCredentials alice = new ChapCredentials("alice", "aliceSecret123");
        TgtTarget t = tgtd.createTarget(PREFIX + "chap");
        t.addLun(1, LunBacking.nullDevice());
        t.allowAll();
        t.requireChap(alice);

        assertEquals("DIRECT_ACCESS", tools.inquiry(t.url(1).withChap(alice)).deviceType());
        CommandResult wrong = tools.run(Tool.ISCSI_INQ, t.url(1).withChap(new ChapCredentials("alice", "notTheSecret1")));
        assertEquals(LibiscsiTools.EXIT_LOGIN_FAILED, wrong.exitCode(), wrong.output());
        assertTrue(wrong.output().contains("Authentication failure"), wrong.output());
        CommandResult none = tools.run(Tool.ISCSI_INQ, t.url(1));
        assertEquals(LibiscsiTools.EXIT_LOGIN_FAILED, none.exitCode(), none.output());
        assertFalse(wrong.command().contains("notTheSecret1"), wrong.command());
        assertTrue(wrong.command().contains("LIBISCSI_CHAP_PASSWORD=***"), wrong.command());
        t.delete();
    }

    @Test
    void mutualChapChecksTheTargetsSecret() {
        ChapCredentials bob = new ChapCredentials("bob", "bobSecret12345");
        ChapCredentials target = new ChapCredentials("tgt-mutual", "targetSecret12");
        TgtTarget t = tgtd.createTarget(PREFIX + "mutual");
        t.addLun(1, LunBacking.nullDevice());
        t.allowAll();
        t.requireMutualChap(bob, target);
        assertTrue(t.show().accounts().contains("tgt-mutual (outgoing)"), t.show().accounts().toString());

        assertEquals("IET", tools.inquiry(t.url(1).withMutualChap(bob, target)).vendor());
        PeerException e = assertThrows(PeerException.class,
                () -> tools.inquiry(t.url(1).withMutualChap(bob, new ChapCredentials("tgt-mutual", "wrongTarget12"))));
        assertTrue(e.getMessage().contains("exit code 10"), e.getMessage());
        assertFalse(e.getMessage().contains("wrongTarget12") || e.getMessage().contains("bobSecret12345"), e.getMessage());
        t.delete();
    }

    @Test
    void initiatorAclAdmitsOnlyTheNamedInitiator() {
        String allowed = "iqn.2026-11.org.kiscsi.testkit:allowed";
        TgtTarget t = tgtd.createTarget(PREFIX + "acl");
        t.addLun(1, LunBacking.nullDevice());
        t.allowInitiator(allowed);
        assertTrue(iqns(tools.initiatorName(allowed).listTargets(tgtd.portalUrl())).contains(t.iqn()));
        assertFalse(iqns(tools.initiatorName("iqn.2026-11.org.kiscsi.testkit:other").listTargets(tgtd.portalUrl())).contains(t.iqn()));
        assertEquals(LibiscsiTools.EXIT_LOGIN_FAILED,
                tools.initiatorName("iqn.2026-11.org.kiscsi.testkit:other").run(Tool.ISCSI_INQ, t.url(1)).exitCode());
        t.delete();
    }

    @Test
    void targetParametersAreUpdatedAndShown() {
        TgtTarget t = tgtd.createTarget(PREFIX + "params");
        assertEquals("None", t.parameters().get("HeaderDigest"));
        assertEquals("8192", t.parameters().get("MaxRecvDataSegmentLength"));
        t.set("HeaderDigest", "CRC32C,None").set("MaxRecvDataSegmentLength", "65536");
        assertEquals("CRC32C", t.parameters().get("HeaderDigest"), "tgtd shows the first value of the list");
        assertEquals("65536", t.parameters().get("MaxRecvDataSegmentLength"));
        PeerException e = assertThrows(PeerException.class, () -> t.set("NoSuchKey", "1"));
        assertTrue(e.getMessage().contains("NoSuchKey") && e.getMessage().contains(tgtd.logFile().toString()), e.getMessage());
        t.delete();
    }

    @Test
    void ipv6PortalServesTargets() {
        try (Tgtd v6 = Tgtd.start(Loopback.IPV6)) {
            TgtTarget t = v6.createTarget(PREFIX + "v6");
            t.addLun(1, LunBacking.file(4 * MIB));
            t.allowAll();
            assertTrue(t.url(1).uri().startsWith("iscsi://[::1]:" + v6.port() + "/"), t.url(1).uri());
            List<ListedTarget> listed = tools.listTargets(v6.portalUrl());
            assertEquals("[::1]:" + v6.port() + ",1", listed.get(0).portal());
            assertEquals(4 * MIB, tools.readCapacity16(t.url(1)).totalBytes());
            assertEquals("::1", v6.portal().address());
        }
    }

    @Test
    void connectionsStatisticsAndPortalsOfALiveSession() throws Exception {
        assertEquals(List.of(new TgtShow.PortalGroup("127.0.0.1", tgtd.port(), 1)), tgtd.portals());
        CompletableFuture<Void> perf = CompletableFuture.runAsync(() -> tools.perf(disks.url(1), 2, 4, 8, false));
        try {
            Processes.waitUntil("a connection on " + disks.iqn(), Duration.ofSeconds(5), () -> !disks.connections().isEmpty(),
                    () -> tgtd.toString());
            TgtShow.Connection c = disks.connections().get(0);
            assertEquals("127.0.0.1", c.address());
            assertEquals(0, c.cid());
            assertTrue(c.initiator().startsWith("iqn."), c.initiator());
            assertEquals(c.sid(), disks.show().nexuses().get(0).id(), "conn's session id is the I_T nexus id");
            long first = disks.statistics(c.sid()).get(0).cmdPdus();
            Processes.waitUntil("more SCSI commands counted", Duration.ofSeconds(3),
                    () -> disks.statistics(c.sid()).get(0).cmdPdus() > first, () -> "stuck at " + first);
        } finally {
            perf.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void stopWithALiveSessionLeavesNoProcessAndNoFile() throws Exception {
        Tgtd own = Tgtd.start(Loopback.IPV4);
        Path runDir = own.runDirectory();
        Path lunDir = own.lunDirectory();
        TgtTarget t = own.createTarget(PREFIX + "stop");
        TgtLun lun = t.addLun(1, LunBacking.file(4 * MIB));
        t.allowAll();
        assertTrue(Files.exists(own.tgtadm().socket()) && Files.exists(lun.file().orElseThrow()));
        // iscsi-perf keeps a session open; once tgtd is gone it retries for ever, so a short bound ends it (SIGKILL)
        LibiscsiTools bounded = tools.timeout(Duration.ofSeconds(1));
        CompletableFuture<Throwable> perf = CompletableFuture.supplyAsync(() -> {
            try {
                bounded.perf(t.url(1), 1, 4, 8, false);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Processes.waitUntil("a session on " + t.iqn(), Duration.ofSeconds(5), () -> !t.show().nexuses().isEmpty(), () -> own.toString());

        long start = System.nanoTime();
        own.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(own.stoppedGracefully(), "tgtd exited on delete system, no SIGKILL needed");
        assertTrue(millis < 3000, "stop took " + millis + " ms");
        assertFalse(ProcessHandle.of(own.pid()).map(ProcessHandle::isAlive).orElse(false), "tgtd process gone");
        assertFalse(Files.exists(runDir), runDir + " removed");
        assertFalse(Files.exists(lunDir), lunDir + " removed");
        assertTrue(Files.exists(own.logFile()), "the log stays for diagnosis");
        Throwable perfEnd = perf.get(10, TimeUnit.SECONDS); // iscsi-perf ended one way or the other; no process left behind
        assertTrue(perfEnd == null || perfEnd instanceof PeerException, String.valueOf(perfEnd));
    }

    private static List<String> iqns(List<ListedTarget> targets) {
        return targets.stream().map(ListedTarget::iqn).toList();
    }

    private static List<Integer> luns(TgtTarget t) {
        return t.show().luns().stream().map(TgtShow.Lun::lun).toList();
    }
}

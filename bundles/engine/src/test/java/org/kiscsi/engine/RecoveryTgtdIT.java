package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.DataDirection;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.testkit.peers.FieldRow;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.peers.Tshark;
import org.kiscsi.testkit.peers.TsharkCapture;
import org.kiscsi.testkit.proxy.FaultProxy;
import org.kiscsi.testkit.proxy.FaultProxy.Direction;
import org.kiscsi.testkit.proxy.LoginSeen;
import org.kiscsi.testkit.proxy.PduSeen;

/**
 * ERL0 session recovery against a real tgtd, with a {@link FaultProxy} between the engine and tgtd
 * to cut, stall and corrupt the connection: writes in flight survive a cut and land intact, the
 * re-login (same ISID, TSIH 0) precedes any command sent again, a stalled connection is declared
 * dead by NOP-Out, a data digest error ends in a recovered write of the original data, a dead tgtd
 * fails commands after replacement_timeout and the session returns when tgtd does, task management
 * and its escalation, and a non-repeatable command is failed rather than repeated. tgtd's
 * DefaultTime2Wait is 2 s, so each recovery takes a little over 2 s.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RecoveryTgtdIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:recovery";
    private static final int LUN_BYTES = 64 << 20;
    private static final int BLOCK = 512;
    private static Tgtd tgtd;
    private static TgtTarget target;
    private EngineFixture f;
    private FaultProxy proxy;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = EngineFixture.targetWithDigests(tgtd, IQN, LUN_BYTES);
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture();
        proxy = FaultProxy.start(tgtd.portal());
    }

    @AfterEach
    void tearDown() {
        try {
            proxy.resume();
            proxy.refuseConnections(false);
            for (SessionInfo s : f.engine.sessions()) {
                try {
                    f.engine.logout(s.sid()).toCompletableFuture().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the session may be recovering or gone; the engine closes it below
                }
            }
        } finally {
            f.close();
            proxy.close();
        }
    }

    /** A record for the proxy's portal with test-sized timeouts: no NOP-Outs unless asked, 15 s replacement timeout. */
    private NodeRecord node() {
        return record(IQN, proxy.portal()).with(NodeKeys.NOOP_OUT_INTERVAL, "0").with(NodeKeys.NOOP_OUT_TIMEOUT, "2")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, "15").with(NodeKeys.SCSI_CMD_TIMEOUT, "10")
                .with(NodeKeys.ABORT_TIMEOUT, "2").with(NodeKeys.LU_RESET_TIMEOUT, "2").with(NodeKeys.TGT_RESET_TIMEOUT, "2");
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ScsiTask write(long lba, byte[] data) {
        return ScsiTask.write(1, Cdbs.write16(lba, data.length / BLOCK), ByteBuffer.wrap(data));
    }

    private static byte[] read(ScsiTaskExecutor x, long lba, int bytes) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(bytes);
        ScsiResult r = await(x.execute(ScsiTask.read(1, Cdbs.read16(lba, bytes / BLOCK), in)));
        assertTrue(r.isGood(), "read at LBA " + lba + ": status " + r.status());
        return in.array();
    }

    /** COMPARE AND WRITE (SBC-3) of one block: data out is the block to compare, then the block to write. */
    private static ScsiTask compareAndWrite(long lba, byte[] compare, byte[] replacement) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x89;
        ByteBuffer.wrap(cdb).putLong(2, lba);
        cdb[13] = 1;
        ByteBuffer out = ByteBuffer.allocate(2 * BLOCK).put(compare).put(replacement).flip();
        return new ScsiTask(1, cdb, DataDirection.OUT, out, null, org.kiscsi.api.scsi.TaskAttribute.SIMPLE, false);
    }

    private SessionInfo info(long sid) {
        return f.engine.session(sid).orElseThrow(() -> new AssertionError("session " + sid + " is gone from the list"));
    }

    /** Polls every 10 ms until {@code c} holds; fails after {@code max}. Returns the nanoTime it held. */
    private static long waitFor(String what, Duration max, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long now = System.nanoTime();
            if (c.getAsBoolean()) {
                return now;
            }
            if (now - deadline > 0) {
                fail("not within " + max.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static IscsiException failure(CompletableFuture<?> future) throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> future.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(IscsiException.class, e.getCause(), "failed with " + e.getCause());
    }

    private static List<TgtShow.Nexus> nexuses() {
        return tgtd.show().stream().filter(t -> t.iqn().equals(IQN)).findFirst().orElseThrow().nexuses();
    }

    // ------------------------------------------------------------------------------------------

    /**
     * 32 writes of 64-256 KiB at queue depth 16, the connection cut at a Data-Out mid-load: none
     * fails, every block reads back, the wire shows the second login with the first's ISID and
     * TSIH 0 before any command goes again, and tgtd holds one I_T nexus afterwards. The unit
     * attention tgtd raises on the new session never reaches the caller.
     */
    @Test
    void cutMidTransferLosesNoWriteAndReloginPrecedesTheResentCommands() throws Exception {
        try (TsharkCapture cap = Tshark.capture(tgtd.port())) {
            SessionInfo s = await(f.engine.login(node().with(NodeKeys.CMDS_MAX, "16")));
            ScsiTaskExecutor x = f.engine.executor(s.sid());
            assertEquals(16, x.queueDepth());
            Random sizes = new Random(11);
            List<long[]> placed = new ArrayList<>();
            List<byte[]> datas = new ArrayList<>();
            long lba = 0;
            for (int i = 0; i < 32; i++) {
                int size = (128 + sizes.nextInt(385)) * BLOCK; // 64 KiB .. 256 KiB
                placed.add(new long[] {lba, size});
                datas.add(random(size, 1000 + i));
                lba += size / BLOCK + 8; // disjoint, with gaps
            }
            // each write sends 8 KiB of immediate data, then 8 KiB Data-Outs for its R2Ts: cut halfway through them
            int dataOuts = placed.stream().mapToInt(p -> ((int) p[1] - 8192 + 8191) / 8192).sum();
            proxy.cutOnNext(Direction.TO_TARGET, Opcode.DATA_OUT, dataOuts / 2);
            long t0 = System.nanoTime();
            List<CompletableFuture<ScsiResult>> writes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                writes.add(x.execute(write(placed.get(i)[0], datas.get(i))).toCompletableFuture());
            }
            CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).exceptionally(e -> null).get(30, TimeUnit.SECONDS);
            long took = System.nanoTime() - t0;
            assertTrue(proxy.faultDone(), "the cut never happened");
            long doneBeforeCut = proxy.pdus().stream().filter(p -> p.connection() == 0 && p.opcode() == Opcode.SCSI_RESPONSE).count();
            System.out.printf("cut at Data-Out %d of ~%d: %d writes had completed, %d were in flight or waiting%n", dataOuts / 2,
                    dataOuts, doneBeforeCut, 32 - doneBeforeCut);
            assertTrue(doneBeforeCut > 0 && doneBeforeCut < 32, doneBeforeCut + " writes completed before the cut: not mid-load");
            for (int i = 0; i < writes.size(); i++) {
                CompletableFuture<ScsiResult> w = writes.get(i);
                assertFalse(w.isCompletedExceptionally(), "write " + i + " failed: " + w.handle((r, e) -> e).join());
                assertTrue(w.join().isGood(), "write " + i + " status " + w.join().status() + " (a unit attention reached the caller?)");
            }
            System.out.printf("cut mid-transfer: 32 writes done in %d ms%n", took / 1_000_000);
            assertEquals(SessionState.LOGGED_IN, info(s.sid()).state());
            Path pcap = cap.stop();

            // the proxy's view: two logins, the second with the first's ISID and TSIH 0
            List<LoginSeen> logins = proxy.logins();
            List<LoginSeen> firsts = logins.stream().filter(l -> l.connection() == 0).toList();
            List<LoginSeen> seconds = logins.stream().filter(l -> l.connection() == 1).toList();
            assertFalse(firsts.isEmpty() || seconds.isEmpty(), "logins seen: " + logins);
            assertEquals(2, proxy.connectionsAccepted(), "connections: " + logins);
            assertEquals(s.isid(), seconds.get(0).isid());
            assertEquals(0, seconds.get(0).tsih());
            checkReloginOnTheWire(pcap, s);

            for (int i = 0; i < placed.size(); i++) {
                assertArrayEquals(datas.get(i), read(x, placed.get(i)[0], (int) placed.get(i)[1]),
                        "write " + i + " at LBA " + placed.get(i)[0] + " reads back different data");
            }
            waitFor("tgtd to list exactly one I_T nexus of ours: " + nexuses(), Duration.ofSeconds(5), () -> nexuses().size() == 1);
            assertTrue(nexuses().get(0).initiator().contains(EngineFixture.INITIATOR), nexuses().toString());
        }
    }

    /**
     * The capture between proxy and tgtd: two TCP streams each starting with a Login Request with
     * the session's ISID (TSIH 0 both times); in the second, every SCSI Command comes after its
     * last Login Response; in the first, none after the second's Login Request.
     */
    private void checkReloginOnTheWire(Path pcap, SessionInfo s) {
        List<FieldRow> rows = Tshark.fields(pcap, new int[] {tgtd.port()}, "iscsi && tcp.port==" + tgtd.port(),
                "frame.number", "tcp.stream", "iscsi.opcode", "iscsi.isid", "iscsi.tsih", "iscsi.scsiresponse.status");
        List<Integer> streams = new ArrayList<>();
        List<String[]> loginRequests = new ArrayList<>(); // frame, stream, isid, tsih
        List<int[]> commands = new ArrayList<>(); // frame, stream
        List<int[]> loginResponses = new ArrayList<>();
        List<int[]> checkConditions = new ArrayList<>(); // frame, stream
        for (FieldRow r : rows) {
            int frame = Integer.parseInt(r.first("frame.number"));
            int stream = Integer.parseInt(r.first("tcp.stream"));
            if (!streams.contains(stream)) {
                streams.add(stream);
            }
            List<String> isids = r.all("iscsi.isid");
            List<String> tsihs = r.all("iscsi.tsih");
            if (r.all("iscsi.scsiresponse.status").stream().anyMatch(v -> Integer.decode(v) == 0x02)) {
                checkConditions.add(new int[] {frame, stream});
            }
            int login = 0;
            for (String op : r.all("iscsi.opcode")) {
                int code = Integer.decode(op);
                if (code == 0x03) {
                    String isid = login < isids.size() ? isids.get(login) : "";
                    String tsih = login < tsihs.size() ? tsihs.get(login) : "";
                    loginRequests.add(new String[] {Integer.toString(frame), Integer.toString(stream), isid, tsih});
                    login++;
                } else if (code == 0x23) {
                    loginResponses.add(new int[] {frame, stream});
                } else if (code == 0x01) {
                    commands.add(new int[] {frame, stream});
                }
            }
        }
        assertEquals(2, streams.size(), "TCP streams to tgtd: " + streams);
        int first = streams.get(0);
        int second = streams.get(1);
        String[] login1 = loginRequests.stream().filter(l -> Integer.parseInt(l[1]) == first).findFirst().orElseThrow();
        String[] login2 = loginRequests.stream().filter(l -> Integer.parseInt(l[1]) == second).findFirst().orElseThrow();
        System.out.printf("on the wire: login 1 frame %s ISID %s TSIH %s; login 2 frame %s ISID %s TSIH %s%n", login1[0], login1[2],
                login1[3], login2[0], login2[2], login2[3]);
        assertEquals(s.isid().toString(), normalise(login1[2]), "ISID of the first login on the wire");
        assertEquals(s.isid().toString(), normalise(login2[2]), "ISID of the re-login on the wire");
        assertEquals(0, Integer.decode(login2[3]), "TSIH of the re-login");
        int lastResponse2 = loginResponses.stream().filter(l -> l[1] == second).mapToInt(l -> l[0]).max().orElseThrow();
        int login2Frame = Integer.parseInt(login2[0]);
        List<Integer> early = commands.stream().filter(c -> c[1] == second && c[0] < lastResponse2).map(c -> c[0]).toList();
        assertTrue(early.isEmpty(), "SCSI Commands in frames " + early + " before the re-login's final Login Response (frame "
                + lastResponse2 + ")");
        List<Integer> late = commands.stream().filter(c -> c[1] == first && c[0] > login2Frame).map(c -> c[0]).toList();
        assertTrue(late.isEmpty(), "SCSI Commands on the old connection after the re-login: " + late);
        assertTrue(commands.stream().anyMatch(c -> c[1] == second), "no command sent again on the new connection");
        // tgtd answers the first command of the new I_T nexus with a unit attention; the engine sent it again
        assertTrue(checkConditions.stream().anyMatch(c -> c[1] == second), "no CHECK CONDITION (unit attention) on the new connection");
    }

    private static String normalise(String isid) {
        String v = isid.replace(":", "").replace("0x", "").strip().toLowerCase();
        return v;
    }

    /**
     * Everything stalls for longer than noop_out_interval + noop_out_timeout (1 + 1 s): the session
     * is RECOVERING within 3.5 s of the stall; once the proxy forwards again it comes back by itself.
     */
    @Test
    void stallBeyondTheNopTimeoutIsNoticedAndTheSessionComesBack() throws Exception {
        SessionInfo s = await(f.engine.login(node().with(NodeKeys.NOOP_OUT_INTERVAL, "1").with(NodeKeys.NOOP_OUT_TIMEOUT, "1")));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        read(x, 0, 4096);
        byte[] expected = read(x, 64, 8192);
        proxy.stall();
        long t0 = System.nanoTime();
        ByteBuffer into = ByteBuffer.allocate(8192);
        CompletableFuture<ScsiResult> pending = x.execute(ScsiTask.read(1, Cdbs.read16(64, 16), into)).toCompletableFuture(); // in flight across the stall
        long seen = waitFor("RECOVERING after the stall", Duration.ofSeconds(6), () -> info(s.sid()).state() == SessionState.RECOVERING);
        long noticed = (seen - t0) / 1_000_000;
        System.out.printf("stall noticed after %d ms (noop_out_interval 1 s + noop_out_timeout 1 s)%n", noticed);
        assertTrue(noticed >= 1000, "declared dead after only " + noticed + " ms");
        assertTrue(noticed <= 3500, "declared dead only after " + noticed + " ms");
        proxy.resume();
        long back = waitFor("LOGGED_IN again", Duration.ofSeconds(15), () -> info(s.sid()).state() == SessionState.LOGGED_IN);
        System.out.printf("back %d ms after resume%n", (back - seen) / 1_000_000);
        assertEquals(RecoveryStage.NONE, info(s.sid()).recovery());
        assertTrue(pending.get(20, TimeUnit.SECONDS).isGood(), "the read in flight across the stall");
        assertArrayEquals(expected, into.array());
        assertTrue(proxy.logins().size() >= 2, "no second login: " + proxy.logins());
        assertEquals(0, proxy.logins().get(proxy.logins().size() - 1).tsih());
        byte[] data = random(16384, 2);
        assertTrue(await(x.execute(write(4096, data))).isGood());
        assertArrayEquals(data, read(x, 4096, data.length));
    }

    /**
     * Header and data digests (CRC32C) negotiated; one bit of a Data-Out's data flipped in the
     * proxy behind its digest: tgtd drops the connection, the session recovers, the write completes
     * GOOD and the block holds what the caller wrote.
     */
    @Test
    void dataDigestErrorInADataOutEndsInARecoveredWriteOfTheOriginalData() throws Exception {
        digestError(Opcode.DATA_OUT);
    }

    /** The same with the bit flipped in the immediate data of the SCSI Command. */
    @Test
    void dataDigestErrorInImmediateDataEndsInARecoveredWriteOfTheOriginalData() throws Exception {
        digestError(Opcode.SCSI_COMMAND);
    }

    private void digestError(Opcode where) throws Exception {
        SessionInfo s = await(f.engine.login(node().with(NodeKeys.HEADER_DIGEST, "CRC32C").with(NodeKeys.DATA_DIGEST, "CRC32C")));
        assertEquals("CRC32C", s.connections().get(0).negotiated().get("HeaderDigest"));
        assertEquals("CRC32C", s.connections().get(0).negotiated().get("DataDigest"));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        long lba = 20000;
        byte[] before = random(32768, 30);
        assertTrue(await(x.execute(write(lba, before))).isGood());
        byte[] data = random(32768, 31); // 8 KiB immediate, then Data-Outs for one R2T
        proxy.flipBitInNextDataSegment(Direction.TO_TARGET, where);
        long t0 = System.nanoTime();
        ScsiResult w = await(x.execute(write(lba, data)));
        System.out.printf("write with corrupted %s data done in %d ms%n", where, (System.nanoTime() - t0) / 1_000_000);
        assertTrue(proxy.faultDone(), "no " + where + " was corrupted");
        assertTrue(w.isGood(), "write status " + w.status());
        assertEquals(2, proxy.connectionsAccepted(), "tgtd did not drop the connection on the digest error: " + proxy.logins());
        assertEquals(2, proxy.logins().stream().map(LoginSeen::connection).distinct().count());
        assertEquals(SessionState.LOGGED_IN, info(s.sid()).state());
        assertArrayEquals(data, read(x, lba, data.length), "the block does not hold what the caller wrote");
    }

    /**
     * tgtd dies (SIGKILL) and stays down: with replacement_timeout 3 s the command in flight and one
     * submitted meanwhile fail after about 3 s naming the key (the one in flight "may have
     * executed"); the session stays listed, RECOVERING with COMMANDS_FAILED. tgtd restarted on the
     * same port with the same file: the session returns by itself and I/O goes on.
     */
    @Test
    void deadTargetFailsCommandsAfterReplacementTimeoutAndTheSessionReturnsWithIt() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path lunDir = java.nio.file.Files.createTempDirectory(java.nio.file.Files.isWritable(shm) ? shm : tmp, "kiscsi-recovery-");
        Tgtd dying = Tgtd.start(Loopback.IPV4, 0, lunDir);
        Tgtd again = null;
        FaultProxy front = FaultProxy.start(dying.portal());
        try {
            TgtTarget t = dying.createTarget(IQN);
            t.addLun(1, LunBacking.file(16 << 20).inDirectory(lunDir));
            t.allowAll();
            NodeRecord r = record(IQN, front.portal()).with(NodeKeys.NOOP_OUT_INTERVAL, "0")
                    .with(NodeKeys.REPLACEMENT_TIMEOUT, "3").with(NodeKeys.SCSI_CMD_TIMEOUT, "10");
            SessionInfo s = await(f.engine.login(r));
            ScsiTaskExecutor x = f.engine.executor(s.sid());
            byte[] kept = random(8192, 40);
            assertTrue(await(x.execute(write(100, kept))).isGood());

            front.stall(); // the next write stays in flight: sent, never answered
            CompletableFuture<ScsiResult> inFlight = x.execute(write(200, random(8192, 41))).toCompletableFuture();
            Thread.sleep(200);
            dying.kill();
            front.cutAll();
            front.resume(); // from now on the proxy finds nobody behind it: connections are reset at once
            long lost = waitFor("RECOVERING after the kill", Duration.ofSeconds(3), () -> info(s.sid()).state() == SessionState.RECOVERING);
            CompletableFuture<ScsiResult> held = x.execute(write(300, random(8192, 42))).toCompletableFuture();

            IscsiException e1 = failure(inFlight);
            long failedAt = System.nanoTime();
            IscsiException e2 = failure(held);
            long afterMs = (failedAt - lost) / 1_000_000;
            System.out.printf("dead target: commands failed %d ms after the connection was lost: %s | %s%n", afterMs,
                    e1.getMessage(), e2.getMessage());
            assertTrue(afterMs >= 2500 && afterMs <= 5000, "failed " + afterMs + " ms after the loss, replacement_timeout is 3 s");
            assertTrue(e1.getMessage().contains("replacement_timeout"), e1.getMessage());
            assertTrue(e1.getMessage().contains("may have executed"), e1.getMessage());
            assertTrue(e2.getMessage().contains("replacement_timeout"), e2.getMessage());
            SessionInfo during = info(s.sid());
            assertEquals(SessionState.RECOVERING, during.state());
            assertEquals(RecoveryStage.COMMANDS_FAILED, during.recovery());
            IscsiException e3 = failure(x.execute(write(400, random(4096, 43))).toCompletableFuture());
            assertTrue(e3.getMessage().contains("replacement_timeout"), "a new command: " + e3.getMessage());
            // the session still counts: a second login of the record is refused
            IscsiException twice = failure(f.engine.login(r).toCompletableFuture());
            assertEquals(org.kiscsi.api.IscsiError.SESS_EXISTS, twice.error(), twice.getMessage());
            assertEquals(1, f.engine.sessions().size());

            int port = dying.port();
            again = Tgtd.start(Loopback.IPV4, port, lunDir);
            TgtTarget t2 = again.createTarget(IQN);
            t2.addLun(1, LunBacking.file(16 << 20).inDirectory(lunDir));
            t2.allowAll();
            long restarted = System.nanoTime();
            long back = waitFor("LOGGED_IN once tgtd is back", Duration.ofSeconds(15),
                    () -> info(s.sid()).state() == SessionState.LOGGED_IN);
            System.out.printf("session back %d ms after tgtd restarted%n", (back - restarted) / 1_000_000);
            assertEquals(RecoveryStage.NONE, info(s.sid()).recovery());
            assertArrayEquals(kept, read(x, 100, kept.length), "data written before the kill");
            byte[] data = random(65536, 44);
            assertTrue(await(x.execute(write(500, data))).isGood());
            assertArrayEquals(data, read(x, 500, data.length));
            await(f.engine.logout(s.sid()));
        } finally {
            front.close();
            try {
                if (again != null) {
                    again.close();
                }
                dying.close();
            } finally {
                try (var left = java.nio.file.Files.list(lunDir)) {
                    assertTrue(left.findAny().isEmpty(), "tgtd left files in " + lunDir);
                }
                java.nio.file.Files.delete(lunDir);
            }
        }
    }

    /**
     * LOGICAL UNIT RESET works against tgtd; TARGET WARM RESET is refused as not supported. A
     * command that times out while nothing gets through (ABORT TASK, LU RESET and TARGET WARM RESET
     * unanswered) escalates to session recovery, and its caller hears "timed out" only once the
     * connection was replaced.
     */
    @Test
    void taskManagementAndEscalationOfATimedOutCommand() throws Exception {
        SessionInfo s = await(f.engine.login(node().with(NodeKeys.SCSI_CMD_TIMEOUT, "1").with(NodeKeys.ABORT_TIMEOUT, "1")
                .with(NodeKeys.LU_RESET_TIMEOUT, "1").with(NodeKeys.TGT_RESET_TIMEOUT, "1")));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        read(x, 0, 4096);
        await(x.resetLogicalUnit(1));
        read(x, 0, 4096); // the unit attention of the reset stays inside the engine
        IscsiException refused = failure(x.resetTarget().toCompletableFuture());
        assertTrue(refused.getMessage().toLowerCase().contains("not supported"), refused.getMessage());
        assertEquals(SessionState.LOGGED_IN, info(s.sid()).state());

        proxy.stall();
        long t0 = System.nanoTime();
        CompletableFuture<ScsiResult> stuck = x.execute(ScsiTask.read(1, Cdbs.read16(0, 8), ByteBuffer.allocate(4096)))
                .toCompletableFuture();
        // cmd_timeout 1 s, then ABORT TASK, LU RESET, TARGET WARM RESET 1 s each, then recovery
        long recovering = waitFor("RECOVERING after the escalation", Duration.ofSeconds(10),
                () -> info(s.sid()).state() == SessionState.RECOVERING);
        assertFalse(stuck.isDone(), "the command ended before its task was known gone: " + stuck);
        System.out.printf("escalation reached session recovery %d ms after the command%n", (recovering - t0) / 1_000_000);
        assertTrue(recovering - t0 >= 3_000_000_000L, "recovery after only " + (recovering - t0) / 1_000_000 + " ms");
        proxy.resume();
        IscsiException e = failure(stuck);
        long failedAt = System.nanoTime();
        System.out.printf("timed-out command failed %d ms after the command: %s%n", (failedAt - t0) / 1_000_000, e.getMessage());
        assertTrue(e.getMessage().contains("timed out") && e.getMessage().contains("cmd_timeout"), e.getMessage());
        List<LoginSeen> logins = proxy.logins();
        assertTrue(logins.size() >= 2, "no re-login: " + logins);
        assertTrue(logins.get(logins.size() - 1).nanoTime() < failedAt, "failed before the re-login");
        waitFor("LOGGED_IN again", Duration.ofSeconds(10), () -> info(s.sid()).state() == SessionState.LOGGED_IN);
        List<Opcode> old = proxy.pdus().stream().filter(p -> p.connection() == 0 && p.direction() == Direction.TO_TARGET)
                .map(PduSeen::opcode).toList();
        System.out.println("old connection, to target, last PDUs: " + old.subList(Math.max(0, old.size() - 6), old.size()));
        read(x, 0, 4096);
    }

    /**
     * A logout while the session is recovering from a target that refuses connections ends it at
     * once: the held command fails, the session leaves the list, and no further login is tried.
     */
    @Test
    void aLostAnswerEndsInAnAbortTaskTgtdAnswersAndTheCommandFailsOnlyThen() throws Exception {
        SessionInfo s = await(f.engine.login(node().with(NodeKeys.SCSI_CMD_TIMEOUT, "1").with(NodeKeys.ABORT_TIMEOUT, "2")));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        read(x, 0, 4096);
        // tgtd answers; the proxy loses the answer, so the command times out at the initiator
        proxy.dropNext(Direction.TO_INITIATOR, Opcode.SCSI_RESPONSE);
        long t0 = System.nanoTime();
        CompletableFuture<ScsiResult> lost = x.execute(ScsiTask.noData(1, Cdbs.testUnitReady())).toCompletableFuture();
        IscsiException e = failure(lost);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("lost answer: command failed %d ms after it was sent: %s%n", ms, e.getMessage());
        assertTrue(e.getMessage().contains("aborted (ABORT TASK)"), e.getMessage());
        List<PduSeen> seen = proxy.pdus();
        assertTrue(seen.stream().anyMatch(p -> p.direction() == Direction.TO_TARGET && p.opcode() == Opcode.TASK_MGMT_REQUEST),
                "an ABORT TASK went to tgtd");
        assertTrue(seen.stream().anyMatch(p -> p.direction() == Direction.TO_INITIATOR && p.opcode() == Opcode.TASK_MGMT_RESPONSE),
                "tgtd answered it");
        assertEquals(1, proxy.connectionsAccepted(), "no escalation beyond the abort: the connection stayed");
        assertEquals(SessionState.LOGGED_IN, info(s.sid()).state());
        read(x, 0, 4096);
    }

    @Test
    void logoutWhileRecoveringEndsTheSession() throws Exception {
        SessionInfo s = await(f.engine.login(node()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        read(x, 0, 4096);
        proxy.refuseConnections(true);
        proxy.stall();
        CompletableFuture<ScsiResult> held = x.execute(ScsiTask.read(1, Cdbs.read16(0, 8), ByteBuffer.allocate(4096))).toCompletableFuture();
        Thread.sleep(100);
        proxy.cutAll();
        waitFor("RECOVERING after the cut", Duration.ofSeconds(3), () -> info(s.sid()).state() == SessionState.RECOVERING);
        long t0 = System.nanoTime();
        f.engine.logout(s.sid()).toCompletableFuture().handle((v, e) -> e).get(5, TimeUnit.SECONDS);
        System.out.printf("logout while recovering took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertTrue(f.engine.session(s.sid()).isEmpty(), "still listed: " + f.engine.sessions());
        IscsiException e = failure(held);
        System.out.println("held command after the logout: " + e.getMessage());
        int accepted = proxy.connectionsAccepted();
        Thread.sleep(2500); // Time2Wait (2 s) passes: no reconnection attempt may follow
        assertEquals(accepted, proxy.connectionsAccepted(), "the session tried to log in again after its logout");
    }

    /**
     * COMPARE AND WRITE and an ordinary WRITE in flight when the connection is cut: the first fails
     * saying it may have executed, the second is sent again and succeeds.
     */
    @Test
    void nonRepeatableCommandInFlightAtACutFailsWhileAWriteIsRepeated() throws Exception {
        SessionInfo s = await(f.engine.login(node()));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        byte[] block = random(BLOCK, 60);
        assertTrue(await(x.execute(write(30000, block))).isGood());
        proxy.stall();
        CompletableFuture<ScsiResult> caw = x.execute(compareAndWrite(30000, block, random(BLOCK, 61))).toCompletableFuture();
        byte[] data = random(16384, 62);
        CompletableFuture<ScsiResult> w = x.execute(write(31000, data)).toCompletableFuture();
        Thread.sleep(300);
        assertFalse(caw.isDone() || w.isDone());
        proxy.cutAll();
        proxy.resume();
        IscsiException e = failure(caw);
        assertTrue(e.getMessage().contains("may have executed"), e.getMessage());
        ScsiResult r = w.get(20, TimeUnit.SECONDS);
        assertTrue(r.isGood(), "write status " + r.status());
        assertArrayEquals(data, read(x, 31000, data.length));
        assertArrayEquals(block, read(x, 30000, BLOCK), "COMPARE AND WRITE was stalled before tgtd: the block is unchanged");
        assertTrue(proxy.logins().size() >= 2);
    }
}

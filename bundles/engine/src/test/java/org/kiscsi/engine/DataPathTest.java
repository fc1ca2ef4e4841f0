package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.protocol.pdu.InitiatorPdu;
import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.testkit.target.RamLun;
import org.kiscsi.testkit.target.TestTarget;

/** The full feature phase against the in-JVM test target: data integrity, windows, unit attentions, errors. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataPathTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:disk";
    private static final int BLOCKS = 8192; // 4 MiB
    private EngineFixture f;
    private TestTarget target;

    @BeforeEach
    void setUp() throws IOException {
        f = new EngineFixture();
        target = TestTarget.start(IQN, BLOCKS);
    }

    @AfterEach
    void tearDown() throws IOException {
        f.close();
        target.close();
    }

    private ScsiTaskExecutor login() throws Exception {
        return login(record(IQN, target.portal()));
    }

    private ScsiTaskExecutor login(org.kiscsi.api.node.NodeRecord r) throws Exception {
        SessionInfo s = await(f.engine.login(r));
        return f.engine.executor(s.sid());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ScsiResult write(ScsiTaskExecutor x, long lba, byte[] data) throws Exception {
        return await(x.execute(ScsiTask.write(0, Cdbs.write10(lba, data.length / RamLun.BLOCK), ByteBuffer.wrap(data))));
    }

    private static byte[] read(ScsiTaskExecutor x, long lba, int bytes) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(bytes);
        ScsiResult r = await(x.execute(ScsiTask.read(0, Cdbs.read10(lba, bytes / RamLun.BLOCK), in)));
        assertTrue(r.isGood(), "read status " + r.status());
        assertEquals(bytes, r.bytesIn());
        return in.array();
    }

    @Test
    void writesAndReadsBackAcrossBurstAndSegmentSizes() throws Exception {
        ScsiTaskExecutor x = login();
        // sizes around FirstBurstLength (65536), MaxBurstLength (262144) and MaxRecvDataSegmentLength (65536)
        int[] sizes = {512, 4096, 65536 - 512, 65536, 65536 + 512, 262144, 262144 + 512, 1 << 20};
        long lba = 3;
        for (int size : sizes) {
            byte[] data = random(size, size);
            assertTrue(write(x, lba, data).isGood());
            assertArrayEquals(data, read(x, lba, size), "size " + size);
            byte[] onDisk = java.util.Arrays.copyOfRange(target.lun(0).contents(), (int) lba * 512, (int) lba * 512 + size);
            assertArrayEquals(data, onDisk, "target contents for size " + size);
            lba += size / 512 + 1;
        }
        // R2T was used for data beyond the immediate data
        assertTrue(target.received().stream().anyMatch(p -> p instanceof DataOut d && d.ttt() != -1));
    }

    @Test
    void unsolicitedDataOutWhenInitialR2TIsNo() throws Exception {
        // a target receiving 8 KiB segments: immediate data is 8 KiB, the rest of the first burst is unsolicited Data-Out
        target.own("InitialR2T", "No").own("MaxRecvDataSegmentLength", "8192");
        ScsiTaskExecutor x = login();
        byte[] data = random(200_000, 7);
        data = java.util.Arrays.copyOf(data, 200_192); // whole blocks
        assertTrue(write(x, 100, data).isGood());
        assertArrayEquals(data, read(x, 100, data.length));
        List<InitiatorPdu> got = target.received();
        assertTrue(got.stream().anyMatch(p -> p instanceof DataOut d && d.ttt() == -1), "no unsolicited Data-Out was sent");
        int unsolicited = got.stream().filter(p -> p instanceof DataOut d && d.ttt() == -1).mapToInt(p -> p.data().remaining()).sum();
        ScsiCommand cmd = (ScsiCommand) got.stream().filter(p -> p instanceof ScsiCommand c && c.write()).findFirst().orElseThrow();
        assertEquals(65536, unsolicited + cmd.data().remaining(), "immediate + unsolicited data = FirstBurstLength");
    }

    @Test
    void manyCommandsInFlightThroughASmallWindow() throws Exception {
        target.commandWindow(4);
        ScsiTaskExecutor x = login();
        int n = 64;
        List<CompletableFuture<ScsiResult>> writes = new ArrayList<>();
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            data[i] = random(8192, i);
            writes.add(x.execute(ScsiTask.write(0, Cdbs.write10(i * 16L, 16), ByteBuffer.wrap(data[i]))).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        List<CompletableFuture<ScsiResult>> reads = new ArrayList<>();
        ByteBuffer[] in = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            in[i] = ByteBuffer.allocate(8192);
            reads.add(x.execute(ScsiTask.read(0, Cdbs.read16(i * 16L, 16), in[i])).toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(data[i], in[i].array(), "block run " + i);
        }
        // CmdSN never ran past the window the target granted
        List<Integer> cmdSns = target.received().stream().filter(p -> p instanceof ScsiCommand).map(p -> ((ScsiCommand) p).cmdSn()).toList();
        for (int i = 1; i < cmdSns.size(); i++) {
            assertEquals(cmdSns.get(i - 1) + 1, cmdSns.get(i), "CmdSN sequence");
        }
    }

    @Test
    void answersOutOfOrderAndStatusInASeparateResponse() throws Exception {
        target.reorder(8).separateStatus(true);
        ScsiTaskExecutor x = login();
        List<CompletableFuture<ScsiResult>> all = new ArrayList<>();
        ByteBuffer[] in = new ByteBuffer[16];
        byte[] disk = random(16 * 4096, 99);
        // seed the disk first (writes are reordered too)
        List<CompletableFuture<ScsiResult>> seeds = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            seeds.add(x.execute(ScsiTask.write(0, Cdbs.write10(i * 8L, 8), ByteBuffer.wrap(disk, i * 4096, 4096).slice())).toCompletableFuture());
        }
        CompletableFuture.allOf(seeds.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 16; i++) {
            in[i] = ByteBuffer.allocate(4096);
            all.add(x.execute(ScsiTask.read(0, Cdbs.read10(i * 8L, 8), in[i])).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(disk, i * 4096, i * 4096 + 4096), in[i].array());
        }
    }

    @Test
    void unitAttentionIsRetriedAndCapacityChangeRaisesARescan() throws Exception {
        List<String> rescans = new CopyOnWriteArrayList<>();
        f.engine.addListener(new SessionListener() {
            @Override
            public void rescanNeeded(long sid, long lun, String reason) {
                rescans.add(lun + " " + reason);
            }
        });
        ScsiTaskExecutor x = login();
        assertTrue(x.retriesUnitAttentions(), "the session owns unit attention retries: layers above must not stack theirs");
        target.raiseUnitAttention(0x29, 0x00); // power on / reset, as after login
        byte[] data = random(4096, 1);
        assertTrue(write(x, 0, data).isGood(), "a unit attention must not fail the caller's write");
        assertArrayEquals(data, read(x, 0, 4096));

        target.lun(0).resize(BLOCKS * 2);
        target.raiseUnitAttention(0x2A, 0x09); // CAPACITY DATA HAS CHANGED
        assertTrue(await(x.execute(ScsiTask.noData(0, Cdbs.testUnitReady()))).isGood());
        long deadline = System.currentTimeMillis() + 5000;
        while (rescans.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("0 CAPACITY DATA HAS CHANGED"), rescans);
    }

    @Test
    void residualUnderflowAndOverflowAreReported() throws Exception {
        ScsiTaskExecutor x = login();
        // INQUIRY with room for 255 bytes: the target has 36, an underflow of 219
        byte[] inquiry = {0x12, 0, 0, 0, (byte) 255, 0};
        ByteBuffer in = ByteBuffer.allocate(255);
        ScsiResult r = await(x.execute(ScsiTask.read(0, inquiry, in)));
        assertTrue(r.isGood());
        assertEquals(36, r.bytesIn());
        assertEquals(ScsiResult.Residual.UNDERFLOW, r.residualKind());
        assertEquals(219, r.residual());
        // READ(10) of 8 blocks into room for 4: the target sends 4 and reports an overflow of 4 blocks
        target.separateStatus(true);
        ByteBuffer small = ByteBuffer.allocate(4 * 512);
        ScsiResult o = await(x.execute(ScsiTask.read(0, Cdbs.read10(0, 8), small)));
        assertEquals(ScsiResult.Residual.OVERFLOW, o.residualKind());
        assertEquals(4 * 512, o.residual());
        assertEquals(4 * 512, o.bytesIn());
    }

    @Test
    void checkConditionIsAResultNotAFailure() throws Exception {
        ScsiTaskExecutor x = login();
        ScsiResult r = await(x.execute(ScsiTask.read(0, Cdbs.read10(BLOCKS, 1), ByteBuffer.allocate(512))));
        assertEquals(ScsiResult.CHECK_CONDITION, r.status());
        assertEquals(0x21, r.sense()[12]); // LOGICAL BLOCK ADDRESS OUT OF RANGE
    }

    @Test
    void commandTimeoutFailsTheCommandAndAbortsIt() throws Exception {
        ScsiTaskExecutor x = login(record(IQN, target.portal()).with(NodeKeys.SCSI_CMD_TIMEOUT, "1"));
        target.ignoreCommands(true);
        long t0 = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(x.execute(ScsiTask.read(0, Cdbs.read10(0, 1), ByteBuffer.allocate(512)))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.REQ_TIMEDOUT, i.error());
        assertTrue(i.getMessage().contains("READ(10)") && i.getMessage().contains("cmd_timeout"), i.getMessage());
        assertTrue(ms >= 900 && ms < 4000, "timed out after " + ms + " ms");
        long deadline = System.currentTimeMillis() + 5000;
        while (target.received().stream().noneMatch(p -> p instanceof TaskMgmtRequest) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        TaskMgmtRequest abort = (TaskMgmtRequest) target.received().stream().filter(p -> p instanceof TaskMgmtRequest)
                .findFirst().orElseThrow(() -> new AssertionError("no ABORT TASK was sent"));
        assertEquals(TaskMgmtRequest.ABORT_TASK, abort.function());
        // the session is still usable
        target.ignoreCommands(false);
        assertTrue(await(x.execute(ScsiTask.noData(0, Cdbs.testUnitReady()))).isGood());
    }

    @Test
    void malformedPduFromTheTargetDropsTheConnectionAndTheSessionRecovers() throws Exception {
        byte[] bad = new byte[48];
        bad[0] = 0x3a; // no such opcode
        target.sendAfterLogin(bad);
        SessionInfo s = await(f.engine.login(record(IQN, target.portal())));
        long deadline = System.currentTimeMillis() + 5000;
        while (f.engine.session(s.sid()).map(i -> i.state() != SessionState.RECOVERING).orElse(true)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(SessionState.RECOVERING, f.engine.session(s.sid()).orElseThrow().state(),
                "a PDU that breaks the protocol drops the connection; the session recovers");
        // commands wait for the session instead of failing; a logout ends the recovery and fails them
        CompletableFuture<ScsiResult> held = f.engine.executor(s.sid()).execute(ScsiTask.noData(0, Cdbs.testUnitReady()))
                .toCompletableFuture();
        assertFalse(held.isDone());
        await(f.engine.logout(s.sid()));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> held.get(5, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().contains("logged out"), failed.getCause().getMessage());
        assertTrue(f.engine.sessions().isEmpty(), "the session is closed");
        IscsiException e = assertThrows(IscsiException.class, () -> f.engine.executor(s.sid()));
        assertEquals(IscsiError.SESS_NOT_FOUND, e.error());
    }

    @Test
    void commandsAfterLogoutFailClearly() throws Exception {
        SessionInfo s = await(f.engine.login(record(IQN, target.portal())));
        ScsiTaskExecutor x = f.engine.executor(s.sid());
        await(f.engine.logout(s.sid()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(x.execute(ScsiTask.noData(0, Cdbs.testUnitReady()))));
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.SESSION_NOT_CONNECTED, i.error());
        assertTrue(i.getMessage().contains(IQN), i.getMessage());
    }
}

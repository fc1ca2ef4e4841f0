package org.kiscsi.transport.iser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.transport.iser.internal.IserHeader;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;

/**
 * Task management over iSER on the software provider: ABORT TASK (sent when a command times out),
 * LOGICAL UNIT RESET and TARGET WARM RESET travel as control-type PDUs; a task they end gives its
 * STags up before its caller hears of it, so nothing reaches the caller's buffer after that (the
 * provider refuses an RDMA operation against an invalidated STag); and a connection lost in the
 * middle of a data transfer leaves no registration behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IserTaskManagementTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:iser-tm";
    private static final String INITIATOR_DEVICE = "soft-initiator";
    private SoftFabric fabric;
    private IserTestTarget target;
    private IserTransport iser;
    private IscsiEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        fabric = new SoftFabric();
        target = new IserTestTarget(fabric, new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260), IQN, 8192);
        iser = new IserTransport(fabric.verbs(INITIATOR_DEVICE, InetAddress.getLoopbackAddress()), IserOptions.DEFAULTS);
        engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.test:initiator").transport(iser).build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        iser.close();
        target.close();
        fabric.close();
        assertEquals(List.of(), target.errors, "the target's errors");
    }

    /** A command times out after a second and is aborted; task management answers within seconds. */
    private ScsiTaskExecutor login() throws Exception {
        return login(1);
    }

    private ScsiTaskExecutor login(int commandTimeoutSeconds) throws Exception {
        NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(IQN), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "3")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, Integer.toString(commandTimeoutSeconds))
                .with(NodeKeys.ABORT_TIMEOUT, "10").with(NodeKeys.LU_RESET_TIMEOUT, "10").with(NodeKeys.TGT_RESET_TIMEOUT, "10")
                .with(NodeKeys.NOOP_OUT_INTERVAL, "0").with(NodeKeys.REPLACEMENT_TIMEOUT, "60")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.TRANSPORT_NAME, IserTransport.NAME)
                // every write byte solicited: the target RDMA-reads it through the Write STag these tests follow
                .with(NodeKeys.IMMEDIATE_DATA, "No").with(NodeKeys.INITIAL_R2T, "Yes"));
        return engine.executor(IserEndToEndTest.await(engine.login(r)).sid());
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static byte[] pattern(int seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static ByteBuffer direct(byte[] content) {
        return ByteBuffer.allocateDirect(content.length).put(content).flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.capacity()];
        b.get(0, a);
        return a;
    }

    private byte[] lun(int lba, int length) {
        return Arrays.copyOfRange(target.lun, lba * IserTestTarget.BLOCK, lba * IserTestTarget.BLOCK + length);
    }

    /** Sends {@code task}, waits until the target holds it, and returns the iSER header its command carried. */
    private IserHeader heldCommand(ScsiTaskExecutor x, ScsiTask task, List<CompletableFuture<ScsiResult>> into)
            throws InterruptedException {
        int before = target.held();
        into.add(x.execute(task).toCompletableFuture());
        waitUntil("the target holds the command", () -> target.held() == before + 1);
        return target.commandHeaders.get(target.commandHeaders.size() - 1);
    }

    /** What the caller's future saw when it completed: whether the STag was still registered, and the buffer then. */
    private record AtCompletion(boolean stagRegistered, byte[] buffer, Throwable failure) {
    }

    /** Looks at the STag and the buffer on the thread that completes the caller's future, as it completes. */
    private CompletableFuture<AtCompletion> watch(CompletableFuture<ScsiResult> f, int stag, ByteBuffer buffer) {
        return f.handle((r, e) -> new AtCompletion(fabric.registered(stag), bytes(buffer), e));
    }

    private static IscsiException timedOut(CompletableFuture<ScsiResult> f) throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(20, TimeUnit.SECONDS));
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.REQ_TIMEDOUT, i.error(), i.getMessage());
        return i;
    }

    private void assertOneAbort() {
        assertEquals(1, target.taskManagement.size(), target.taskManagement.toString());
        IserTestTarget.TaskManagementSeen tm = target.taskManagement.get(0);
        assertEquals(TaskMgmtRequest.ABORT_TASK, tm.function(), tm.toString());
        assertEquals(1, tm.heldEnded(), "the abort ended the held command: " + tm);
        assertEquals(0, tm.response(), tm.toString());
        assertControlType(tm);
    }

    /** A task management request is a control-type PDU: an iSER header with neither STag. */
    private static void assertControlType(IserTestTarget.TaskManagementSeen tm) {
        assertFalse(tm.header().wsv() || tm.header().rsv(), "no STags in front of task management: " + tm.header());
    }

    /** After a late RDMA operation broke the connection, the session is back and reads what the LUN holds. */
    private void assertRecoversAndReads(ScsiTaskExecutor x, int lba, int length) throws Exception {
        waitUntil("a second login (recovery)", () -> target.logins.get() >= 2);
        ByteBuffer in = ByteBuffer.allocate(length);
        ScsiResult r = IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(lba, length / 512), in)));
        assertTrue(r.isGood(), r.toString());
        assertArrayEquals(lun(lba, length), in.array());
        assertEquals(1, fabric.registrationsByDomain(INITIATOR_DEVICE).size(),
                "only the live connection's protection domain holds registrations: " + fabric.registrationsByDomain(INITIATOR_DEVICE));
    }

    @Test
    void anAbortedReadGivesUpItsStagBeforeItsCallerHearsAndNothingReachesTheBufferAfter() throws Exception {
        ScsiTaskExecutor x = login();
        System.arraycopy(pattern(1, 4096), 0, target.lun, 16 * 512, 4096);
        target.holdCommands = true;
        ByteBuffer in = direct(new byte[4096]); // registered in place: the target's RDMA Write would land in it
        List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
        IserHeader h = heldCommand(x, ScsiTask.read(0, IserEndToEndTest.read10(16, 8), in), f);
        target.holdCommands = false;
        assertTrue(h.rsv() && fabric.registered(h.readStag()), "the held read's STag is registered: " + h);
        CompletableFuture<AtCompletion> seen = watch(f.get(0), h.readStag(), in);

        assertTrue(timedOut(f.get(0)).getMessage().contains("ABORT TASK"), "the command failed once ABORT TASK ended it");
        assertFalse(seen.get(20, TimeUnit.SECONDS).stagRegistered(),
                "the read STag was invalidated before the caller heard of the abort");
        assertOneAbort();

        // a target writing into the aborted task's buffer now is refused, and the buffer stays as it was
        String status = target.connections.get(0).accessLate(h, true, (byte) 0x5A).get(10, TimeUnit.SECONDS);
        assertEquals("REMOTE_ACCESS_ERROR", status);
        assertArrayEquals(new byte[4096], bytes(in), "nothing was written into the buffer the caller got back");
        assertRecoversAndReads(x, 16, 4096);
    }

    @Test
    void anAbortedWriteGivesUpItsStagAndTheTargetCanNoLongerReadTheBuffer() throws Exception {
        ScsiTaskExecutor x = login();
        target.holdCommands = true;
        byte[] data = pattern(2, 8192);
        List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
        IserHeader h = heldCommand(x, ScsiTask.write(0, IserEndToEndTest.write10(32, 16), direct(data)), f);
        target.holdCommands = false;
        assertTrue(h.wsv() && fabric.registered(h.writeStag()), "the held write's STag is registered: " + h);
        CompletableFuture<AtCompletion> seen = watch(f.get(0), h.writeStag(), ByteBuffer.allocate(0));

        timedOut(f.get(0));
        assertFalse(seen.get(20, TimeUnit.SECONDS).stagRegistered(),
                "the write STag was invalidated before the caller heard of the abort");
        assertOneAbort();
        assertArrayEquals(new byte[8192], lun(32, 8192), "the aborted write never reached the LUN");

        String status = target.connections.get(0).accessLate(h, false, (byte) 0).get(10, TimeUnit.SECONDS);
        assertEquals("REMOTE_ACCESS_ERROR", status, "an RDMA Read of the aborted write's buffer is refused");
        assertRecoversAndReads(x, 32, 8192);
    }

    @Test
    void anAbortAnsweredRightBehindTheReadsDataInFlightTakesNothingAfterItsCallerHeard() throws Exception {
        ScsiTaskExecutor x = login();
        byte[] data = pattern(3, 131072);
        System.arraycopy(data, 0, target.lun, 64 * 512, data.length);
        target.holdResponses = true; // the first half moves, then the target waits
        ByteBuffer in = direct(new byte[data.length]);
        List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
        IserHeader h = heldCommand(x, ScsiTask.read(0, IserEndToEndTest.read10(64, 256), in), f);
        target.holdResponses = false;
        CompletableFuture<AtCompletion> seen = watch(f.get(0), h.readStag(), in);

        timedOut(f.get(0));
        assertOneAbort();
        assertFalse(seen.get(20, TimeUnit.SECONDS).stagRegistered(),
                "the read STag was invalidated before the caller heard of the abort");
        // the data went to the task's pool block behind its window; an aborted read's data is not copied out
        byte[] whenHeard = seen.get(20, TimeUnit.SECONDS).buffer();

        String status = target.connections.get(0).accessLate(h, true, (byte) 0x5A).get(10, TimeUnit.SECONDS);
        assertEquals("REMOTE_ACCESS_ERROR", status);
        assertArrayEquals(whenHeard, bytes(in), "nothing reached the buffer after the abort completed");
        assertRecoversAndReads(x, 64, 131072);
    }

    @Test
    void anAbortOfAWriteWhoseDataTheTargetReadAlreadyLeavesTheLunAsItWas() throws Exception {
        ScsiTaskExecutor x = login();
        target.holdResponses = true;
        byte[] data = pattern(4, 4096);
        List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
        int readsBefore = target.rdmaReads.get();
        IserHeader h = heldCommand(x, ScsiTask.write(0, IserEndToEndTest.write10(96, 8), ByteBuffer.wrap(data)), f);
        target.holdResponses = false;
        assertEquals(readsBefore + 1, target.rdmaReads.get(), "the target RDMA-read the data before it held the response");
        CompletableFuture<AtCompletion> seen = watch(f.get(0), h.writeStag(), ByteBuffer.allocate(0));

        timedOut(f.get(0));
        assertOneAbort();
        assertFalse(seen.get(20, TimeUnit.SECONDS).stagRegistered());
        assertArrayEquals(new byte[4096], lun(96, 4096));
        // the session goes on on the same connection
        ScsiResult w = IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(96, 8), ByteBuffer.wrap(data))));
        assertTrue(w.isGood(), w.toString());
        assertArrayEquals(data, lun(96, 4096));
        assertEquals(1, target.logins.get(), "no recovery was needed");
    }

    @Test
    void aLunResetEndsEveryOutstandingTaskReleasesItsStagsAndTheCommandsGoAgain() throws Exception {
        ScsiTaskExecutor x = login(60); // the reset, not a timeout, ends them
        target.holdCommands = true;
        List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
        List<IserHeader> headers = new ArrayList<>();
        List<ByteBuffer> reads = new ArrayList<>();
        byte[][] writes = new byte[2][];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(pattern(10 + i, 4096), 0, target.lun, (200 + 8 * i) * 512, 4096);
            ByteBuffer in = direct(new byte[4096]);
            reads.add(in);
            headers.add(heldCommand(x, ScsiTask.read(0, IserEndToEndTest.read10(200 + 8 * i, 8), in), f));
        }
        for (int i = 0; i < 2; i++) {
            writes[i] = pattern(20 + i, 4096);
            headers.add(heldCommand(x, ScsiTask.write(0, IserEndToEndTest.write10(300 + 8 * i, 8), direct(writes[i])), f));
        }
        target.holdCommands = false;
        for (IserHeader h : headers) {
            assertTrue(fabric.registered(h.rsv() ? h.readStag() : h.writeStag()), "registered while held: " + h);
        }

        IserEndToEndTest.await(x.resetLogicalUnit(0));
        IserTestTarget.TaskManagementSeen tm = target.taskManagement.get(0);
        assertEquals(TaskMgmtRequest.LOGICAL_UNIT_RESET, tm.function(), tm.toString());
        assertEquals(LunField.encode(0), tm.lun());
        assertEquals(5, tm.heldEnded(), "the reset ended the five held commands: " + tm);
        assertControlType(tm);
        for (IserHeader h : headers) {
            assertFalse(fabric.registered(h.rsv() ? h.readStag() : h.writeStag()), "released by the reset: " + h);
        }
        // none had timed out and all may be repeated: they go again, with STags of their own, and complete
        for (CompletableFuture<ScsiResult> c : f) {
            assertTrue(c.get(20, TimeUnit.SECONDS).isGood());
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pattern(10 + i, 4096), bytes(reads.get(i)), "read " + i);
        }
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(writes[i], lun(300 + 8 * i, 4096), "write " + i);
        }
        assertEquals(10, target.commandHeaders.size(), "five commands, each sent again after the reset");
        assertNoTaskRegistrations();
    }

    @Test
    void aTargetWarmResetEndsTheTasksOfEveryLun() throws Exception {
        ScsiTaskExecutor x = login(60);
        target.holdCommands = true;
        List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
        IserHeader h = heldCommand(x, ScsiTask.read(0, IserEndToEndTest.read10(0, 1), direct(new byte[512])), f);
        target.holdCommands = false;
        IserEndToEndTest.await(x.resetTarget());
        IserTestTarget.TaskManagementSeen tm = target.taskManagement.get(0);
        assertEquals(TaskMgmtRequest.TARGET_WARM_RESET, tm.function(), tm.toString());
        assertEquals(1, tm.heldEnded());
        assertFalse(fabric.registered(h.readStag()));
        assertTrue(f.get(0).get(20, TimeUnit.SECONDS).isGood(), "the read went again");
        assertNoTaskRegistrations();
    }

    @Test
    void taskManagementGoesAsIserControlTypePdusThatTsharkDecodes() throws Exception {
        java.nio.file.Path pcap = java.nio.file.Path.of("target", "iser-task-management.pcap");
        try (org.kiscsi.transport.iser.soft.RocePcap capture = new org.kiscsi.transport.iser.soft.RocePcap(pcap)) {
            fabric.addTap(capture);
            ScsiTaskExecutor x = login(60);
            target.holdCommands = true;
            List<CompletableFuture<ScsiResult>> f = new ArrayList<>();
            heldCommand(x, ScsiTask.read(0, IserEndToEndTest.read10(0, 8), direct(new byte[4096])), f);
            target.holdCommands = false;
            IserEndToEndTest.await(x.resetLogicalUnit(0));
            assertTrue(f.get(0).get(20, TimeUnit.SECONDS).isGood());
            fabric.drain();
            fabric.removeTap(capture);
        }
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,",
                "-e", "infiniband.bth.opcode", "-e", "iser.flags.wsv", "-e", "iser.flags.rsv", "-e", "iscsi.opcode",
                "-e", "iscsi.taskmanfun.function", "-e", "_ws.malformed")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(rows.stream().anyMatch(r -> r.split(",", -1)[5].length() > 0), "malformed: " + rows);
        assertTrue(rows.stream().anyMatch(r -> r.matches("4,0,0,0x02,0x05,")), "LOGICAL UNIT RESET behind a plain iSER header: "
                + rows);
        assertTrue(rows.stream().anyMatch(r -> r.matches("(4|23),0,0,0x22,.*")), "the Task Management Response: " + rows);
    }

    /** No STag a command advertised is registered any more. */
    private void assertNoTaskRegistrations() {
        for (IserHeader h : target.commandHeaders) {
            assertFalse(h.rsv() && fabric.registered(h.readStag()) || h.wsv() && fabric.registered(h.writeStag()),
                    "a finished task's STag is still registered: " + h);
        }
    }

    @Test
    void aConnectionLostWhileTheTargetReadsAWritesDataRecoversAndReleasesEveryRegistration() throws Exception {
        ScsiTaskExecutor x = login(60);
        byte[] data = pattern(5, 262144);
        target.dropMidTransfer.set(1);
        int readsBefore = target.rdmaReads.get();
        ScsiResult w = IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(1024, 512), direct(data))));
        assertTrue(w.isGood(), w.toString());
        assertEquals(2, target.logins.get(), "the session logged in again");
        assertEquals(readsBefore + 2, target.rdmaReads.get(), "the first RDMA Read broke off, the write went again");
        assertArrayEquals(data, lun(1024, data.length));
        assertLostConnectionLeftNothing();
        ByteBuffer in = ByteBuffer.allocate(data.length);
        assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(1024, 512), in))).isGood());
        assertArrayEquals(data, in.array());
    }

    @Test
    void aConnectionLostWhileTheTargetWritesAReadsDataRecoversAndReleasesEveryRegistration() throws Exception {
        ScsiTaskExecutor x = login(60);
        byte[] data = pattern(6, 262144);
        System.arraycopy(data, 0, target.lun, 2048 * 512, data.length);
        target.dropMidTransfer.set(1);
        ByteBuffer in = direct(new byte[data.length]);
        ScsiResult r = IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(2048, 512), in)));
        assertTrue(r.isGood(), r.toString());
        assertEquals(data.length, r.bytesIn());
        assertEquals(2, target.logins.get(), "the session logged in again");
        assertArrayEquals(data, bytes(in));
        assertLostConnectionLeftNothing();
    }

    @Test
    void closingTheTransportUnderALiveSessionReleasesItsConnectionsRegistrations() throws Exception {
        ScsiTaskExecutor x = login(60);
        assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(0, 8), ByteBuffer.allocate(4096)))).isGood());
        assertTrue(fabric.registrations(INITIATOR_DEVICE) > 0);
        try (AutoCloseable stalled = fabric.stall()) {
            // as the iser bundle's component is deactivated: the device closes with the connection on it, and the
            // transport's executor stops before the network acts on the device's end
            iser.close();
        }
        waitUntil("the session hears its connection is gone and recovers", () -> !engine.sessions().isEmpty() && engine.sessions().stream()
                .allMatch(s -> s.state() == org.kiscsi.api.session.SessionState.RECOVERING));
        waitUntil("the closed transport's registrations are released: " + fabric.registrationsByDomain(INITIATOR_DEVICE),
                () -> fabric.registrations(INITIATOR_DEVICE) == 0);
    }

    /** The first connection's protection domain holds nothing: receive ring, PDU pool and the broken task's STags are gone. */
    private void assertLostConnectionLeftNothing() throws InterruptedException {
        IserHeader broken = target.commandHeaders.get(target.commandHeaders.size() - 2);
        assertFalse(fabric.registered(broken.readStag()) || fabric.registered(broken.writeStag()),
                "the broken task's STag is released: " + broken);
        waitUntil("only the live connection's protection domain holds registrations: " + fabric.registrationsByDomain(INITIATOR_DEVICE),
                () -> fabric.registrationsByDomain(INITIATOR_DEVICE).size() == 1);
        assertNoTaskRegistrations();
    }
}

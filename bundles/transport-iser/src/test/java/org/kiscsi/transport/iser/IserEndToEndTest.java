package org.kiscsi.transport.iser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.transport.iser.internal.IserHeader;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;
import org.kiscsi.transport.iser.soft.SoftFabric;

/** The engine logs in, reads and writes through the iSER transport against an iSER target, all on the software provider. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IserEndToEndTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:iser";
    private SoftFabric fabric;
    private IserTestTarget target;
    private IserTransport iser;
    private IscsiEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        fabric = new SoftFabric();
        target = new IserTestTarget(fabric, new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260), IQN, 8192);
        start(IserOptions.DEFAULTS);
    }

    private void start(IserOptions options) {
        if (engine != null) {
            engine.close();
            iser.close();
        }
        iser = new IserTransport(fabric.verbs("soft-initiator", InetAddress.getLoopbackAddress()), options);
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

    private NodeRecord record() {
        return NodeRecord.create(new NodeKey(IscsiName.of(IQN), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "3").with(NodeKeys.SCSI_CMD_TIMEOUT, "5")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.TRANSPORT_NAME, IserTransport.NAME));
    }

    static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private ScsiTaskExecutor login() throws Exception {
        SessionInfo s = await(engine.login(record()));
        return engine.executor(s.sid());
    }

    static byte[] read10(long lba, int blocks) {
        return ByteBuffer.allocate(10).put(0, (byte) 0x28).putInt(2, (int) lba).putShort(7, (short) blocks).array();
    }

    static byte[] write10(long lba, int blocks) {
        return ByteBuffer.allocate(10).put(0, (byte) 0x2A).putInt(2, (int) lba).putShort(7, (short) blocks).array();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void logsInWithIserKeysAndWritesAndReadsByRdma() throws Exception {
        ScsiTaskExecutor x = login();
        assertEquals(Map.of("MaxAHSLength", "256", "TaggedBufferForSolicitedDataOnly", "Yes", "iSERHelloRequired", "No"),
                target.declaredByInitiator);
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0}, target.connections.get(0).initiatorPrivateData,
                "CM private data: ZBVA not supported; Send with Invalidate supported (each STag is a window of one task)");
        for (int size : new int[] {512, 65536, 262144 + 512, 1 << 20}) {
            byte[] data = random(size);
            int readsBefore = target.rdmaReads.get();
            ScsiResult w = await(x.execute(ScsiTask.write(0, write10(8, size / 512), ByteBuffer.wrap(data))));
            assertTrue(w.isGood(), w.toString());
            // ImmediateData=Yes, InitialR2T=No, FirstBurstLength 65536: the first 64 KiB go by Send
            assertEquals(readsBefore + (size > 65536 ? 1 : 0), target.rdmaReads.get(), "the target RDMA-read the solicited rest");
            byte[] stored = new byte[size];
            System.arraycopy(target.lun, 8 * 512, stored, 0, size);
            assertArrayEquals(data, stored, "size " + size);

            ByteBuffer in = ByteBuffer.allocate(size);
            ScsiResult r = await(x.execute(ScsiTask.read(0, read10(8, size / 512), in)));
            assertTrue(r.isGood(), r.toString());
            assertEquals(size, r.bytesIn());
            assertArrayEquals(data, in.array(), "size " + size);
        }
        IserHeader lastRead = target.commandHeaders.get(target.commandHeaders.size() - 1);
        assertTrue(lastRead.rsv() && !lastRead.wsv(), lastRead.toString());
        assertTrue(lastRead.readStag() != 0 && lastRead.readVa() != 0, lastRead.toString());
        IserHeader lastWrite = target.commandHeaders.get(target.commandHeaders.size() - 2);
        assertTrue(lastWrite.wsv() && !lastWrite.rsv(), lastWrite.toString());
        assertTrue(target.rdmaWrites.get() >= 1 + 4 + 16, "reads came as RDMA Writes of up to 64 KiB");
    }

    @Test
    void theTrafficIsWrittenAsRoceV2ForTshark() throws Exception {
        java.nio.file.Path pcap = java.nio.file.Path.of("target", "iser-soft.pcap");
        try (org.kiscsi.transport.iser.soft.RocePcap capture = new org.kiscsi.transport.iser.soft.RocePcap(pcap)) {
            fabric.addTap(capture);
            ScsiTaskExecutor x = login();
            // 128 KiB: 8 KiB immediate, 56 KiB in unsolicited Data-Out PDUs, the rest RDMA-read
            assertTrue(await(x.execute(ScsiTask.write(0, write10(0, 256), ByteBuffer.wrap(random(131072))))).isGood());
            assertTrue(await(x.execute(ScsiTask.read(0, read10(0, 8), ByteBuffer.allocate(4096)))).isGood());
            fabric.drain();
            fabric.removeTap(capture);
        }
        // with no decoding hints: the CM REQ/REP tie the connection to iSER's service, so every Send in
        // either direction decodes as iSER with an iSCSI PDU; the command headers carry their flags and STags
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,", "-e", "infiniband.bth.opcode",
                "-e", "iser.flags.wsv", "-e", "iser.flags.rsv", "-e", "iscsi.opcode", "-e", "_ws.malformed")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(rows.stream().anyMatch(r -> r.split(",", -1)[4].length() > 0), "malformed: " + rows);
        List<String> sends = rows.stream().filter(r -> r.startsWith("4,") || r.startsWith("23,")).toList();
        assertTrue(sends.stream().allMatch(r -> !r.split(",", -1)[3].isEmpty()), "every Send holds an iSCSI PDU: " + rows);
        assertTrue(sends.contains("4,1,0,0x01,"), "the write command with WSV: " + rows);
        assertEquals(7, sends.stream().filter(r -> r.equals("4,0,0,0x05,")).count(), "the unsolicited Data-Out PDUs: " + rows);
        assertTrue(rows.contains("12,,,,"), "the solicited rest fetched by an RDMA Read request: " + rows);
        assertTrue(sends.contains("4,0,1,0x01,"), "the read command with RSV: " + rows);
        assertTrue(rows.contains("10,,,,"), "the read data as an RDMA Write: " + rows);
        assertEquals(3, rows.stream().filter(r -> r.startsWith("100,")).count(), "CM REQ, REP, RTU as UD Sends: " + rows);
        assertTrue(sends.contains("4,0,0,0x03,"), "the initiator's Login Request: " + rows);
        assertTrue(sends.contains("4,0,0,0x23,"), "the target's Login Response, the other direction: " + rows);
        assertTrue(sends.stream().anyMatch(r -> r.matches("(4|23),0,0,0x21,")), "the target's SCSI Response: " + rows);
    }

    @Test
    void directBuffersAreRegisteredInPlace() throws Exception {
        ScsiTaskExecutor x = login();
        ByteBuffer out = ByteBuffer.allocateDirect(8192).put(random(8192)).flip();
        assertTrue(await(x.execute(ScsiTask.write(0, write10(100, 16), out))).isGood());
        ByteBuffer in = ByteBuffer.allocateDirect(8192 + 100).position(100);
        assertTrue(await(x.execute(ScsiTask.read(0, read10(100, 16), in.slice()))).isGood());
        for (int i = 0; i < 8192; i++) {
            assertEquals(out.get(i), in.get(100 + i), "byte " + i);
        }
    }

    @Test
    void aShortReadReportsTheBytesTheTargetPlaced() throws Exception {
        ScsiTaskExecutor x = login();
        ByteBuffer in = ByteBuffer.allocate(255);
        ScsiResult r = await(x.execute(ScsiTask.read(0, new byte[] {0x12, 0, 0, 0, (byte) 255, 0}, in)));
        assertTrue(r.isGood());
        assertEquals(36, r.bytesIn(), "INQUIRY's 36 bytes, the residual underflow taken from the response");
        assertEquals("KISCSI  ", new String(in.array(), 8, 8, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aStagRegisteredForItsTaskAloneIsInvalidatedWhenItEnds() throws Exception {
        start(IserOptions.DEFAULTS.withPool(64 << 10, 1)); // 128 KiB is over the pool's largest block
        ScsiTaskExecutor x = login();
        assertTrue(await(x.execute(ScsiTask.read(0, read10(0, 256), ByteBuffer.allocate(131072)))).isGood());
        IserHeader h = target.commandHeaders.get(target.commandHeaders.size() - 1);
        // a late RDMA Write to the finished task's STag is refused: the connection fails, never the memory
        target.connections.get(0).writeLate(h);
        fabric.drain();
        assertTrue(target.lateWriteStatus.get(5, TimeUnit.SECONDS).contains("REMOTE_ACCESS_ERROR"), target.lateWriteStatus.get());
    }

    @Test
    void withoutRdmaExtensionsTheLoginFails() throws Exception {
        target.rdmaExtensions = false;
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(engine.login(record())));
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertTrue(i.getMessage().contains("RDMAExtensions=Yes"), i.getMessage());
    }

    @Test
    void theNegotiatedUnexpectedPduLimitBoundsCommandsInFlight() throws Exception {
        target.ownMaxUnexpected = 4;
        ScsiTaskExecutor x = login();
        target.holdCommands = true;
        List<CompletableFuture<ScsiResult>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(x.execute(ScsiTask.read(0, read10(i, 1), ByteBuffer.allocate(512))).toCompletableFuture());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (target.commandHeaders.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        fabric.drain();
        Thread.sleep(50);
        assertTrue(target.commandHeaders.size() <= 3, "4 outstanding, one kept for task management: " + target.commandHeaders.size());
        target.releaseHeld();
        for (CompletableFuture<ScsiResult> f : all) {
            assertTrue(f.get(20, TimeUnit.SECONDS).isGood());
        }
        assertEquals(12, target.commandHeaders.size());
    }

    @Test
    void helloIsSentAndAnsweredWhenRequired() throws Exception {
        start(IserOptions.DEFAULTS.withHelloRequired(true));
        ScsiTaskExecutor x = login();
        assertEquals(1, target.hellos.get());
        assertEquals("Yes", target.declaredByInitiator.get("iSERHelloRequired"));
        assertTrue(await(x.execute(ScsiTask.read(0, read10(0, 1), ByteBuffer.allocate(512)))).isGood());
    }

    @Test
    void aRejectedHelloFailsTheLogin() throws Exception {
        start(IserOptions.DEFAULTS.withHelloRequired(true));
        target.rejectHello = true;
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(engine.login(record())));
        assertTrue(e.getCause().getMessage().contains("rejected the iSER Hello"), e.getCause().getMessage());
    }

    @Test
    void aLostConnectionRecoversAndTheSessionGoesOn() throws Exception {
        ScsiTaskExecutor x = login();
        assertTrue(await(x.execute(ScsiTask.write(0, write10(0, 1), ByteBuffer.wrap(random(512))))).isGood());
        target.dropConnections();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (target.logins.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, target.logins.get(), "the session logged in again");
        ByteBuffer in = ByteBuffer.allocate(512);
        assertTrue(await(x.execute(ScsiTask.read(0, read10(0, 1), in))).isGood());
        assertArrayEquals(random(512), in.array());
    }

    @Test
    void withoutADeviceConnectFailsNamingWhatIsMissing() throws Exception {
        engine.close();
        iser.close();
        iser = new IserTransport(new org.kiscsi.transport.iser.verbs.Verbs() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public org.kiscsi.transport.iser.verbs.RdmaDevice open() throws org.kiscsi.transport.iser.verbs.VerbsException {
                throw new org.kiscsi.transport.iser.verbs.VerbsException(org.kiscsi.transport.iser.verbs.VerbsException.Reason.NO_DEVICE,
                        "no RDMA device (ibv_get_device_list found none)");
            }
        }, IserOptions.DEFAULTS);
        engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.test:initiator").transport(iser).build();
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(engine.login(record())));
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertTrue(i.getMessage().contains("no RDMA device"), i.getMessage());
        assertFalse(i.error() == IscsiError.TRANS_CAPS);
    }
}

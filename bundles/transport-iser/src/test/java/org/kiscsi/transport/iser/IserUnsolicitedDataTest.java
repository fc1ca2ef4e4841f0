package org.kiscsi.transport.iser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.transport.iser.internal.IserHeader;
import org.kiscsi.transport.iser.soft.RocePcap;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;

/**
 * Immediate and unsolicited data go by Send, the target RDMA-reads only the rest: for each outcome
 * of ImmediateData and InitialR2T, each TaggedBufferForSolicitedDataOnly, writes below, at and above
 * FirstBurstLength. The target takes every byte exactly once (it records a byte sent twice or
 * skipped as an error) and counts how each arrived; the data is read back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IserUnsolicitedDataTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:iser-unsolicited";
    /** The target's FirstBurstLength (the record offers 262144: the outcome is the minimum). */
    private static final int FIRST_BURST = 65536;
    /** TargetRecvDataSegmentLength, which bounds each data segment sent. */
    private static final int SEGMENT = 8192;
    private SoftFabric fabric;
    private IserTestTarget target;
    private IserTransport iser;
    private IscsiEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        fabric = new SoftFabric();
        target = new IserTestTarget(fabric, new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260), IQN, 4096);
        target.ownFirstBurstLength = FIRST_BURST;
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
            iser.close();
        }
        target.close();
        fabric.close();
        assertEquals(List.of(), target.errors, "the target's errors (a byte twice, a byte missing, a limit broken)");
    }

    private ScsiTaskExecutor login(IserOptions options, String immediateData, String initialR2t) throws Exception {
        iser = new IserTransport(fabric.verbs("soft-initiator", InetAddress.getLoopbackAddress()), options);
        engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.test:initiator").transport(iser).build();
        NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(IQN), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "3").with(NodeKeys.SCSI_CMD_TIMEOUT, "5")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.TRANSPORT_NAME, IserTransport.NAME)
                .with(NodeKeys.IMMEDIATE_DATA, immediateData).with(NodeKeys.INITIAL_R2T, initialR2t)
                .with(NodeKeys.FIRST_BURST_LENGTH, "262144"));
        return engine.executor(IserEndToEndTest.await(engine.login(r)).sid());
    }

    private static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "ImmediateData={0} InitialR2T={1} TaggedBufferForSolicitedDataOnly={2}")
    @CsvSource({"Yes,No,true", "Yes,No,false", "Yes,Yes,true", "Yes,Yes,false", "No,No,true", "No,No,false", "No,Yes,true",
            "No,Yes,false"})
    void writesGoWithTheNegotiatedUnsolicitedDataAndTheTargetFetchesOnlyTheRest(String immediateData, String initialR2t,
            boolean solicitedOnly) throws Exception {
        ScsiTaskExecutor x = login(IserOptions.DEFAULTS.withTaggedBufferForSolicitedDataOnly(solicitedOnly), immediateData,
                initialR2t);
        assertEquals(solicitedOnly ? "Yes" : "No", target.declaredByInitiator.get("TaggedBufferForSolicitedDataOnly"));
        boolean immediate = immediateData.equals("Yes");
        boolean unsolicitedDataOut = initialR2t.equals("No");
        int lba = 0;
        for (int size : new int[] {512, 4096, 32768, FIRST_BURST - 512, FIRST_BURST, FIRST_BURST + 512, FIRST_BURST + SEGMENT + 4096,
                3 * FIRST_BURST}) {
            int immediateBytes = immediate ? Math.min(size, Math.min(FIRST_BURST, SEGMENT)) : 0;
            int unsolicited = unsolicitedDataOut ? Math.min(size, FIRST_BURST) : immediateBytes;
            int dataOuts = (unsolicited - immediateBytes + SEGMENT - 1) / SEGMENT;
            long immediateBefore = target.immediateBytes.get();
            long fetchedBefore = target.rdmaReadBytes.get();
            int dataOutsBefore = target.dataOutPdus.get();
            byte[] data = random(size, size + lba);
            ScsiResult w = IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(lba, size / 512),
                    ByteBuffer.wrap(data))));
            assertTrue(w.isGood(), w.toString());
            String what = "a write of " + size + " bytes";
            assertEquals(immediateBytes, target.immediateBytes.get() - immediateBefore, what + ": immediate data");
            assertEquals(dataOuts, target.dataOutPdus.get() - dataOutsBefore, what + ": unsolicited Data-Out PDUs");
            assertEquals(size - unsolicited, target.rdmaReadBytes.get() - fetchedBefore, what + ": bytes RDMA-read");
            IserHeader h = target.commandHeaders.get(target.commandHeaders.size() - 1);
            assertEquals(size > unsolicited, h.wsv(), what + ": a Write STag only when something is left to fetch");

            ByteBuffer in = ByteBuffer.allocate(size);
            ScsiResult r = IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(lba, size / 512), in)));
            assertTrue(r.isGood(), r.toString());
            assertArrayEquals(data, in.array(), what + " read back");
            lba += size / 512;
        }
    }

    @Test
    void theUnsolicitedDataOutPdusDecodeInTshark() throws Exception {
        Path pcap = Path.of("target", "iser-unsolicited.pcap");
        try (RocePcap capture = new RocePcap(pcap)) {
            fabric.addTap(capture);
            ScsiTaskExecutor x = login(IserOptions.DEFAULTS, "Yes", "No");
            for (int size : new int[] {4096, FIRST_BURST, FIRST_BURST + 4096}) {
                assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(0, size / 512),
                        ByteBuffer.wrap(random(size, size))))).isGood());
            }
            fabric.drain();
            fabric.removeTap(capture);
        }
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,", "-e", "infiniband.bth.opcode",
                "-e", "iser.flags.wsv", "-e", "iscsi.opcode", "-e", "iscsi.scsidata.F", "-e", "_ws.malformed")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> rows = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(rows.isEmpty(), "tshark read nothing");
        assertFalse(rows.stream().anyMatch(r -> !r.split(",", -1)[4].isEmpty()), "malformed: " + rows);
        List<String> sends = rows.stream().filter(r -> r.startsWith("4,")).toList();
        assertTrue(sends.stream().allMatch(r -> !r.split(",", -1)[2].isEmpty()), "every Send holds an iSCSI PDU: " + rows);
        // 4096: immediate only; 65536: 8 KiB immediate + 7 Data-Out; 69632: the same, and 4 KiB RDMA-read
        assertEquals(14, sends.stream().filter(r -> r.split(",", -1)[2].equals("0x05")).count(), "unsolicited Data-Out: " + rows);
        assertEquals(1, sends.stream().filter(r -> r.startsWith("4,1,0x01")).count(), "one write command with WSV: " + rows);
        assertEquals(1, rows.stream().filter(r -> r.startsWith("12,")).count(), "one RDMA Read request: " + rows);
    }
}

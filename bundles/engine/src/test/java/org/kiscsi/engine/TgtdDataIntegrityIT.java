package org.kiscsi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.engine.EngineFixture.await;
import static org.kiscsi.engine.EngineFixture.record;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.testkit.peers.FieldRow;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.QemuImg;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.peers.Tshark;
import org.kiscsi.testkit.peers.TsharkCapture;

/**
 * Verified I/O against tgtd: random data written and read back with sizes crossing
 * FirstBurstLength, MaxBurstLength and MaxRecvDataSegmentLength, unaligned offsets, 32+ commands in
 * flight, with and without digests; cross-checked by QEMU's libiscsi driver in both directions; the
 * wire of a QD32 run checked with tshark.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TgtdDataIntegrityIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:integrity";
    private static final int LUN_BYTES = 64 << 20;
    private static Tgtd tgtd;
    private static TgtTarget target;
    private EngineFixture f;
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
    void engine() {
        f = new EngineFixture();
    }

    @AfterEach
    void close() {
        f.close();
    }

    private ScsiTaskExecutor login(boolean digests) throws Exception {
        NodeRecord r = record(IQN, tgtd.portal()).with(NodeKeys.SCSI_CMD_TIMEOUT, "30");
        if (digests) {
            r = r.with(NodeKeys.HEADER_DIGEST, "CRC32C").with(NodeKeys.DATA_DIGEST, "CRC32C");
        }
        SessionInfo s = await(f.engine.login(r));
        assertEquals(digests ? "CRC32C" : "None", s.connections().get(0).negotiated().get("DataDigest"));
        return f.engine.executor(s.sid());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Writes then reads back, concurrently, chunks crossing every negotiated limit, at unaligned LBAs. */
    private void integrity(boolean digests) throws Exception {
        ScsiTaskExecutor x = login(digests);
        // 8192 (tgtd's MaxRecvDataSegmentLength), 65536 (FirstBurstLength), 262144 (MaxBurstLength) and around them
        int[] sizes = {512, 8192 - 512, 8192, 8192 + 512, 65536 - 512, 65536, 65536 + 512, 262144 - 512, 262144,
            262144 + 512, 1 << 20, 3 * 262144 + 1536};
        List<long[]> placed = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        List<CompletableFuture<ScsiResult>> writes = new ArrayList<>();
        long lba = 7; // unaligned to anything but 512
        for (int round = 0; round < 4; round++) {
            for (int size : sizes) {
                byte[] d = random(size, lba * 31 + size);
                datas.add(d);
                placed.add(new long[] {lba, size});
                writes.add(x.execute(ScsiTask.write(1, Cdbs.write16(lba, size / 512), ByteBuffer.wrap(d))).toCompletableFuture());
                lba += size / 512 + 3;
            }
        }
        assertTrue(writes.size() >= 32, "32+ commands in flight");
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        for (CompletableFuture<ScsiResult> w : writes) {
            assertTrue(w.get().isGood(), "write status " + w.get().status());
        }
        List<CompletableFuture<ScsiResult>> reads = new ArrayList<>();
        List<ByteBuffer> ins = new ArrayList<>();
        for (long[] p : placed) {
            ByteBuffer in = ByteBuffer.allocate((int) p[1]);
            ins.add(in);
            reads.add(x.execute(ScsiTask.read(1, Cdbs.read16(p[0], (int) p[1] / 512), in)).toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        for (int i = 0; i < placed.size(); i++) {
            assertTrue(reads.get(i).get().isGood());
            assertEquals(sha256(datas.get(i)), sha256(ins.get(i).array()), "chunk " + i + " of " + placed.get(i)[1]
                    + " bytes at LBA " + placed.get(i)[0] + (digests ? " with" : " without") + " digests");
        }
    }

    @Test
    void integrityWithoutDigests() throws Exception {
        integrity(false);
    }

    @Test
    void integrityWithDigests() throws Exception {
        integrity(true);
    }

    @Test
    void qemuReadsWhatKiscsiWroteAndTheOtherWayRound() throws Exception {
        ScsiTaskExecutor x = login(false);
        int size = 8 << 20;
        byte[] ours = random(size, 42);
        ScsiResult w = await(x.execute(ScsiTask.write(1, Cdbs.write10(0, size / 512), ByteBuffer.wrap(ours))));
        assertTrue(w.isGood());
        Path dump = tmp.resolve("lun.img");
        QemuImg.create().readFromLun(target.url(1), dump);
        byte[] qemu = Files.readAllBytes(dump);
        assertEquals(LUN_BYTES, qemu.length);
        assertEquals(sha256(ours), sha256(java.util.Arrays.copyOf(qemu, size)), "qemu-img read back something else");

        byte[] theirs = random(LUN_BYTES, 43);
        Path src = tmp.resolve("src.img");
        Files.write(src, theirs);
        QemuImg.create().writeToLun(src, target.url(1));
        ByteBuffer in = ByteBuffer.allocate(4 << 20);
        for (int off = 0; off < LUN_BYTES; off += in.capacity()) {
            in.clear();
            ScsiResult r = await(x.execute(ScsiTask.read(1, Cdbs.read16(off / 512, in.capacity() / 512), in)));
            assertTrue(r.isGood());
            assertArrayEquals(java.util.Arrays.copyOfRange(theirs, off, off + in.capacity()), in.array(), "offset " + off);
        }
    }

    @Test
    void wireOfAQd32RunShowsTheQueueAndSizesWithinLimits() throws Exception {
        ScsiTaskExecutor x = login(false);
        try (TsharkCapture cap = Tshark.capture(tgtd.port())) {
            List<CompletableFuture<ScsiResult>> all = new ArrayList<>();
            // 24 KiB writes: 8 KiB of immediate data, then Data-Out for one R2T
            for (int i = 0; i < 48; i++) {
                all.add(x.execute(ScsiTask.write(1, Cdbs.write10(i * 48L, 48), ByteBuffer.wrap(random(24576, i)))).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            all.clear();
            // 128 reads of 32 KiB submitted at once: the engine sends them as fast as it can, more than 32 are
            // on the wire before tgtd has answered them (the session allows node.session.cmds_max = 128)
            for (int i = 0; i < 128; i++) {
                all.add(x.execute(ScsiTask.read(1, Cdbs.read10(i * 64L, 64), ByteBuffer.allocate(32768))).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            Path pcap = cap.stop();
            int max = Tshark.maxOutstandingCommands(pcap, tgtd.port());
            assertTrue(max >= 32, "only " + max + " SCSI commands were outstanding at once");
            List<String> problems = new ArrayList<>(Tshark.initiatorSideIscsiProblems(pcap, tgtd.port()));
            if (Tshark.lostSegments(pcap, tgtd.port()) > 0) {
                // the capture dropped segments: Data-Out of a command it never saw cannot be paired with it
                problems.removeIf(p -> p.contains("Unknown SCSI exchange") && !p.contains("Malformed"));
            }
            assertTrue(problems.isEmpty(), "tshark flags our PDUs: " + problems);
            // immediate data and Data-Out segments stay within tgtd's MaxRecvDataSegmentLength (8192)
            List<FieldRow> sizes = Tshark.fields(pcap, new int[] {tgtd.port()}, "iscsi && tcp.dstport==" + tgtd.port(),
                    "iscsi.opcode", "iscsi.datasegmentlength");
            int dataOuts = 0;
            for (FieldRow r : sizes) {
                List<String> ops = r.all("iscsi.opcode");
                List<String> lens = r.all("iscsi.datasegmentlength");
                for (int i = 0; i < Math.min(ops.size(), lens.size()); i++) {
                    int len = Integer.decode(lens.get(i));
                    assertTrue(len <= 8192, "a PDU with opcode " + ops.get(i) + " carries " + len + " bytes, over 8192");
                    if (Integer.decode(ops.get(i)) == 0x05) {
                        dataOuts++;
                    }
                }
            }
            assertTrue(dataOuts > 0, "no Data-Out seen");
        }
    }
}

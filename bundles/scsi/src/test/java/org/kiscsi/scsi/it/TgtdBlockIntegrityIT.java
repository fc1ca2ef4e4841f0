package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.it.Initiator.await;
import static org.kiscsi.scsi.it.Initiator.failure;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.SenseKey;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.ScsiBlockDevice;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * Random data written and read back through the block API (BlockDevice.read/write, not raw CDBs)
 * against tgtd, watching which commands the device chose: transfers split by the maximum transfer
 * length, READ/WRITE (10) and (16) by LBA (a 17 TiB sparse file with 4096-byte blocks has LBAs past
 * 2^32) and by length (more than 65535 blocks in one command).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TgtdBlockIntegrityIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:integrity";
    private static final int MIB = 1 << 20;
    /** LUN 1: 96 MiB of 512-byte blocks. */
    private static final long SMALL_BYTES = 96L * MIB;
    /** LUN 2: 4096-byte blocks, 2^32 + 2^20 of them (16 TiB + 4 GiB, sparse on tmpfs). */
    private static final long HUGE_BLOCKS = (1L << 32) + (1L << 20);
    private static Tgtd tgtd;
    private static Initiator kiscsi;
    private static long sid;

    @BeforeAll
    static void start() {
        tgtd = Tgtd.start(Loopback.IPV4);
        TgtTarget target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.file(SMALL_BYTES));
        target.addLun(2, LunBacking.file(HUGE_BLOCKS * 4096).blockSize(4096));
        target.allowAll();
        kiscsi = new Initiator();
        sid = kiscsi.login(IQN, tgtd.portal());
    }

    @AfterAll
    static void stop() throws Exception {
        Initiator.closeInOrder(kiscsi, tgtd);
    }

    private record Opened(ScsiBlockDevice device, RecordingExecutor wire) {
    }

    /** The LU opened over the session's executor with a recorder in between, and {@code maxTransferBytes}. */
    private static Opened open(long lun, int maxTransferBytes) {
        RecordingExecutor wire = new RecordingExecutor(kiscsi.engine.executor(sid));
        ScsiBlockDevice d = await(ScsiBlockDevice.open(wire, lun, "session " + sid + " LUN " + lun,
                new BlockDeviceOptions(maxTransferBytes, BlockDeviceOptions.DEFAULT_UNIT_ATTENTION_RETRIES)));
        wire.clear();
        return new Opened(d, wire);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static long lba(byte[] cdb) {
        return cdb.length == 10 ? Integer.toUnsignedLong(ByteBuffer.wrap(cdb).getInt(2)) : ByteBuffer.wrap(cdb).getLong(2);
    }

    private static long blocks(byte[] cdb) {
        return cdb.length == 10 ? ByteBuffer.wrap(cdb).getShort(7) & 0xFFFF : Integer.toUnsignedLong(ByteBuffer.wrap(cdb).getInt(10));
    }

    /** The commands cover [first, first + count) exactly, each at most {@code max} blocks. */
    private static void coverExactly(List<byte[]> cdbs, long first, long count, long max, String what) {
        long next = first;
        for (byte[] c : cdbs.stream().sorted((x, y) -> Long.compare(lba(x), lba(y))).toList()) {
            assertEquals(next, lba(c), what + ": commands leave a gap or overlap at LBA " + next);
            assertTrue(blocks(c) <= max, what + ": a command of " + blocks(c) + " blocks, over the limit of " + max);
            next += blocks(c);
        }
        assertEquals(first + count, next, what + ": the commands end at LBA " + next);
    }

    @Test
    void transfersLongerThanTheMaximumAreSplitAndTheDataComesBackIntact() throws Exception {
        int max = 64 << 10;
        Opened o = open(1, max);
        assertEquals(128, o.device().maxTransferBlocks(), "64 KiB of 512-byte blocks");
        int[] sizes = {512, max - 512, max, max + 512, 3 * max + 1536, MIB + 1536, 3 * MIB + 7 * 512};
        List<long[]> placed = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        long lba = 3; // unaligned to anything but the block
        for (int i = 0; i < sizes.length; i++) {
            byte[] d = random(sizes[i], i);
            datas.add(d);
            placed.add(new long[] {lba, sizes[i]});
            writes.add(o.device().write(lba, ByteBuffer.wrap(d), i % 2 == 0).toCompletableFuture()); // every other one with FUA
            lba += sizes[i] / 512 + 5;
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        List<byte[]> written = o.wire().take(0x2A);
        assertTrue(o.wire().take(0x8A).isEmpty(), "small LBAs and lengths take WRITE(10)");
        for (int i = 0; i < sizes.length; i++) {
            long first = placed.get(i)[0];
            long count = sizes[i] / 512;
            List<byte[]> mine = written.stream().filter(c -> lba(c) >= first && lba(c) < first + count).toList();
            coverExactly(mine, first, count, 128, "write " + i + " of " + sizes[i] + " bytes");
            boolean fua = i % 2 == 0;
            assertTrue(mine.stream().allMatch(c -> ((c[1] & 0x08) != 0) == fua), "FUA " + fua + " on every part of write " + i);
        }
        List<ByteBuffer> ins = new ArrayList<>();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (long[] p : placed) {
            ByteBuffer in = ByteBuffer.allocate((int) p[1]);
            ins.add(in);
            reads.add(o.device().read(p[0], in).toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long expectedReads = 0;
        for (int size : sizes) {
            expectedReads += (size / 512 + 127) / 128;
        }
        assertEquals(expectedReads, o.wire().take(0x28).size(), "READ(10) commands: each transfer in 128-block parts");
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sha256(datas.get(i)), sha256(ins.get(i).array()), "transfer " + i + " of " + sizes[i] + " bytes at LBA "
                    + placed.get(i)[0]);
        }
    }

    @Test
    void aTransferOfMoreThan65535BlocksIsOneCommandOf16Bytes() throws Exception {
        Opened o = open(1, 48 * MIB);
        int blocks = 65535 + 9;
        byte[] big = random(blocks * 512, 11);
        await(o.device().write(1, ByteBuffer.wrap(big)));
        List<byte[]> w16 = o.wire().take(0x8A);
        assertEquals(1, w16.size(), "one WRITE(16)");
        assertEquals(blocks, blocks(w16.get(0)));
        byte[] fits = random(65535 * 512, 12);
        await(o.device().write(blocks + 1, ByteBuffer.wrap(fits)));
        assertEquals(1, o.wire().take(0x2A).size(), "65535 blocks still fit WRITE(10)");
        ByteBuffer in = ByteBuffer.allocate(big.length);
        await(o.device().read(1, in));
        assertEquals(List.of((long) blocks), o.wire().take(0x88).stream().map(TgtdBlockIntegrityIT::blocks).toList(), "one READ(16)");
        assertEquals(sha256(big), sha256(in.array()));
        ByteBuffer in10 = ByteBuffer.allocate(fits.length);
        await(o.device().read(blocks + 1, in10));
        assertEquals(1, o.wire().take(0x28).size(), "one READ(10)");
        assertEquals(sha256(fits), sha256(in10.array()));
    }

    @Test
    void lbasPast2To32TakeThe16ByteCommandsAndKeepTheirData() throws Exception {
        Opened o = open(2, 8 * MIB);
        ScsiBlockDevice d = o.device();
        assertEquals(4096, d.blockSize());
        assertEquals(HUGE_BLOCKS, d.blockCount(), "READ CAPACITY(16) reports past 2^32 blocks");
        long[] lbas = {5, (1L << 32) - 4, (1L << 32) + 4, (1L << 32) + 12345, HUGE_BLOCKS - 8};
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0; i < lbas.length; i++) {
            byte[] data = random(8 * 4096, 100 + i);
            datas.add(data);
            await(d.write(lbas[i], ByteBuffer.wrap(data)));
        }
        List<Long> by10 = o.wire().take(0x2A).stream().map(TgtdBlockIntegrityIT::lba).toList();
        List<Long> by16 = o.wire().take(0x8A).stream().map(TgtdBlockIntegrityIT::lba).toList();
        // SBC-3 READ/WRITE(10) carry a 32-bit starting LBA: the one starting below 2^32 and crossing it still fits
        assertEquals(List.of(5L, (1L << 32) - 4), by10, "WRITE(10) for LBAs below 2^32");
        assertEquals(List.of((1L << 32) + 4, (1L << 32) + 12345, HUGE_BLOCKS - 8), by16, "WRITE(16) from 2^32 on");
        for (int i = 0; i < lbas.length; i++) {
            ByteBuffer in = ByteBuffer.allocate(8 * 4096);
            await(d.read(lbas[i], in));
            assertEquals(sha256(datas.get(i)), sha256(in.array()), "8 blocks at LBA " + lbas[i]);
        }
        assertEquals(3, o.wire().take(0x88).size(), "READ(16) past 2^32");
        // the WRITE(10) that crossed 2^32 put its second half at 2^32 on, where READ(16) finds it
        ByteBuffer upper = ByteBuffer.allocate(4 * 4096);
        await(d.read(1L << 32, upper));
        assertEquals(List.of(1L << 32), o.wire().take(0x88).stream().map(TgtdBlockIntegrityIT::lba).toList());
        assertEquals(sha256(java.util.Arrays.copyOfRange(datas.get(1), 4 * 4096, 8 * 4096)), sha256(upper.array()),
                "blocks 2^32 .. 2^32+3 as the crossing WRITE(10) wrote them");
        ByteBuffer tail = ByteBuffer.allocate(4096 * 9);
        CheckConditionException e = failure(CheckConditionException.class, d.read(HUGE_BLOCKS - 8, tail));
        assertEquals(SenseKey.ILLEGAL_REQUEST, e.sense().key());
        assertTrue(e.sense().is(0x21, 0x00), "LOGICAL BLOCK ADDRESS OUT OF RANGE: " + e.getMessage());
        assertTrue(e.getMessage().contains("READ(16) LBA 0x" + Long.toHexString(HUGE_BLOCKS - 8) + ", 9 blocks"), e.getMessage());
    }
}

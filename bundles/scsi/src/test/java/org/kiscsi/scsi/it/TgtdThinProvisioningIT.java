package org.kiscsi.scsi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.it.Initiator.await;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;
import org.kiscsi.api.scsi.UnmapRange;
import org.kiscsi.testkit.peers.Command;
import org.kiscsi.testkit.peers.Commands;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * Logical block provisioning through the block API on a tgtd LU made with thin_provisioning=1: UNMAP
 * and WRITE SAME(16) with and without UNMAP. What is asserted of unmapped blocks is what SBC-3 allows:
 * tgtd reports LBPRZ=1 (VPD 0xB2 and READ CAPACITY 16), which obliges them to read as zeros. tgtd's
 * rdwr store punches a hole in the backing file for both (fallocate PUNCH_HOLE in bs_rdwr.c); the file
 * lives on tmpfs (/dev/shm), which frees whole 4 KiB pages, so the file's allocated blocks (stat %b)
 * must shrink by at least the page-aligned part of each range.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TgtdThinProvisioningIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:thin";
    private static final int MIB = 1 << 20;
    private static final int BLOCK = 512;
    private static Tgtd tgtd;
    private static TgtTarget target;
    private static Initiator kiscsi;
    private static BlockDevice disk;
    private static Path file;

    @BeforeAll
    static void start() {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(IQN);
        file = target.addLun(1, LunBacking.file(64L * MIB).thinProvisioned()).file().orElseThrow();
        target.allowAll();
        kiscsi = new Initiator();
        disk = kiscsi.open(kiscsi.login(IQN, tgtd.portal()), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        Initiator.closeInOrder(kiscsi, tgtd);
    }

    /** Bytes the backing file occupies: stat's %b (allocated 512-byte units). */
    private static long allocatedBytes() {
        String out = Commands.check(Command.of(Path.of("/usr/bin/stat"), List.of("-c", "%b", file.toString()))).stdout().strip();
        return Long.parseLong(out) * 512;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(long lba, int bytes) {
        ByteBuffer in = ByteBuffer.allocate(bytes);
        await(disk.read(lba, in));
        return in.array();
    }

    private static void write(long lba, byte[] data) {
        await(disk.write(lba, ByteBuffer.wrap(data)));
        await(disk.flush());
    }

    @Test
    void theLuAnnouncesUnmapAndThatUnmappedBlocksReadAsZeros() {
        LogicalBlockProvisioning p = await(disk.logicalBlockProvisioning());
        assertTrue(p.unmapSupported(), "LBPU: " + p);
        assertTrue(p.writeSame16UnmapSupported(), "LBPWS: " + p);
        assertTrue(p.readsZeros(), "LBPRZ: " + p);
        assertTrue(disk.capacity().provisioningEnabled(), "LBPME in READ CAPACITY(16): " + disk.capacity());
        assertTrue(disk.capacity().readsZeros(), "LBPRZ in READ CAPACITY(16): " + disk.capacity());
    }

    @Test
    void unmapPunchesAHoleAndTheRangeReadsZerosWhileItsNeighboursKeepTheirData() {
        long lba = MIB / BLOCK; // 1 MiB in
        byte[] data = random(4 * MIB, 1);
        write(lba, data);
        long before = allocatedBytes();
        assertTrue(before >= 4 * MIB, "the written 4 MiB occupy the file: " + before + " bytes");

        long holeLba = lba + (MIB / 2) / BLOCK; // 512 KiB into the data: page aligned
        int holeBlocks = 2 * MIB / BLOCK;
        await(disk.unmap(List.of(new UnmapRange(holeLba, holeBlocks))));
        long after = allocatedBytes();

        byte[] back = read(lba, data.length);
        int holeStart = MIB / 2;
        int holeEnd = holeStart + 2 * MIB;
        assertArrayEquals(Arrays.copyOfRange(data, 0, holeStart), Arrays.copyOfRange(back, 0, holeStart), "before the hole");
        assertArrayEquals(new byte[2 * MIB], Arrays.copyOfRange(back, holeStart, holeEnd), "the unmapped 2 MiB (LBPRZ=1: zeros)");
        assertArrayEquals(Arrays.copyOfRange(data, holeEnd, data.length), Arrays.copyOfRange(back, holeEnd, data.length), "after the hole");
        assertTrue(before - after >= 2 * MIB, "tgtd punched the 2 MiB out of " + file + ": allocated " + before + " -> " + after);
    }

    @Test
    void writeSameWithoutUnmapRepeatsTheBlockAndAllocatesIt() {
        long lba = 16L * MIB / BLOCK;
        int blocks = 2 * MIB / BLOCK;
        byte[] pattern = random(BLOCK, 2);
        long before = allocatedBytes();
        await(disk.writeSame(lba, blocks, ByteBuffer.wrap(pattern), false));
        await(disk.flush());
        byte[] back = read(lba, blocks * BLOCK);
        for (int i = 0; i < blocks; i++) {
            assertArrayEquals(pattern, Arrays.copyOfRange(back, i * BLOCK, (i + 1) * BLOCK), "block " + (lba + i));
        }
        long after = allocatedBytes();
        assertTrue(after - before >= 2 * MIB, "WRITE SAME without UNMAP wrote 2 MiB into " + file + ": allocated " + before + " -> " + after);
    }

    @Test
    void writeSameWithUnmapDeallocatesAndTheRangeReadsZerosWhileItsNeighboursKeepTheirData() {
        long lba = 32L * MIB / BLOCK;
        int blocks = 2 * MIB / BLOCK;
        int margin = 8; // blocks either side, written and kept
        byte[] data = random((blocks + 2 * margin) * BLOCK, 3);
        write(lba - margin, data);
        long before = allocatedBytes();
        await(disk.writeSame(lba, blocks, ByteBuffer.allocate(BLOCK), true));
        long after = allocatedBytes();
        byte[] back = read(lba - margin, data.length);
        int from = margin * BLOCK;
        int to = from + blocks * BLOCK;
        assertArrayEquals(Arrays.copyOf(data, from), Arrays.copyOf(back, from), "the blocks before the range");
        assertArrayEquals(new byte[blocks * BLOCK], Arrays.copyOfRange(back, from, to), "the range after WRITE SAME(16) with UNMAP");
        assertArrayEquals(Arrays.copyOfRange(data, to, data.length), Arrays.copyOfRange(back, to, back.length), "the blocks after it");
        // the range is 4 KiB aligned (32 MiB), so each of its pages is freed
        assertTrue(before - after >= 2 * MIB, "tgtd punched the range out of " + file + ": allocated " + before + " -> " + after);
    }
}

package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Stages.await;
import static org.kiscsi.scsi.Stages.failure;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.PersistentReservation;
import org.kiscsi.api.scsi.PrKeys;
import org.kiscsi.api.scsi.PrOut;
import org.kiscsi.api.scsi.PrType;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiStatusException;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.SenseKey;
import org.kiscsi.api.scsi.UnmapRange;

class ScsiBlockDeviceTest {
    private final MemoryDisk disk = new MemoryDisk(512, 2048);

    private ScsiBlockDevice open(BlockDeviceOptions options) {
        return await(ScsiBlockDevice.open(disk, 1, "test LUN 1", options));
    }

    private ScsiBlockDevice open() {
        return open(BlockDeviceOptions.DEFAULTS);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<Integer> opcodes() {
        synchronized (disk.cdbs) {
            return disk.cdbs.stream().map(c -> c[0] & 0xFF).toList();
        }
    }

    @Test
    void openReadsCapacity16ThenInquiryThenBlockLimits() {
        ScsiBlockDevice d = open();
        assertEquals(512, d.blockSize());
        assertEquals(2048, d.blockCount());
        assertEquals(1, d.lun());
        assertEquals("MEMORY-DISK", d.standardInquiry().product());
        assertEquals(List.of(0x9E, 0x12, 0x12), opcodes());
        assertEquals(0xB0, disk.cdbs.get(2)[2] & 0xFF);
        assertEquals(16, d.limits().maxWriteSameLength());
    }

    @Test
    void openFallsBackToReadCapacity10AndToNoBlockLimits() {
        disk.unsupported.add(0x9E);
        disk.maxTransferLength = null;
        ScsiBlockDevice d = open();
        assertEquals(2048, d.blockCount());
        assertEquals(List.of(0x9E, 0x25, 0x12, 0x12), opcodes());
        assertEquals(BlockLimits.NONE, d.limits());
    }

    @Test
    void openOfAControllerLunSaysItIsNoBlockDevice() {
        disk.unsupported.addAll(List.of(0x9E, 0x25));
        disk.deviceType = 0x0C;
        IscsiException e = failure(IscsiException.class, ScsiBlockDevice.open(disk, 0, "session 1 LUN 0", BlockDeviceOptions.DEFAULTS));
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().startsWith("session 1 LUN 0 is not a block device: it is a storage array controller"),
                e.getMessage());
        assertTrue(e.getMessage().contains("READ CAPACITY(10): CHECK CONDITION, ILLEGAL REQUEST: INVALID COMMAND OPERATION CODE"),
                e.getMessage());
    }

    @Test
    void openOfAnAbsentLunSaysNothingIsThere() {
        disk.unsupported.addAll(List.of(0x9E, 0x25));
        disk.deviceType = 0x7F; // peripheral qualifier 3, device type 1Fh
        IscsiException e = failure(IscsiException.class, ScsiBlockDevice.open(disk, 9, "LUN 9", BlockDeviceOptions.DEFAULTS));
        assertTrue(e.getMessage().startsWith("LUN 9: no logical unit is connected there (peripheral qualifier 3), and LUN 9:"
                + " READ CAPACITY(10)"), e.getMessage());
    }

    @Test
    void openOfADiskThatRefusesReadCapacityKeepsTheTargetsAnswer() {
        disk.unsupported.addAll(List.of(0x9E, 0x25));
        CheckConditionException e = failure(CheckConditionException.class, ScsiBlockDevice.open(disk, 1, "LUN 1",
                BlockDeviceOptions.DEFAULTS));
        assertTrue(e.sense().is(0x20, 0));
    }

    @Test
    void writeThenReadAtUnalignedBufferOffsetsMovesExactlyTheBytes() {
        ScsiBlockDevice d = open();
        byte[] payload = random(5 * 512, 1);
        ByteBuffer src = ByteBuffer.allocate(7 + payload.length + 3);
        src.position(7).put(payload).position(7).limit(7 + payload.length);
        await(d.write(100, src));
        assertEquals(7, src.position(), "the caller's position is kept");
        assertArrayEquals(payload, Arrays.copyOfRange(disk.data, 100 * 512, 105 * 512));

        ByteBuffer dst = ByteBuffer.allocateDirect(payload.length + 13);
        dst.position(13);
        await(d.read(100, dst));
        assertEquals(13, dst.position());
        assertEquals(dst.capacity(), dst.limit());
        byte[] back = new byte[payload.length];
        dst.get(back);
        assertArrayEquals(payload, back);
    }

    @Test
    void transfersLongerThanTheBlockLimitsMaximumAreSplit() {
        disk.maxTransferLength = 8L;
        ScsiBlockDevice d = open();
        assertEquals(8, d.maxTransferBlocks());
        byte[] payload = random(20 * 512, 2);
        await(d.write(40, ByteBuffer.wrap(payload), true));
        disk.cdbs.clear();
        ByteBuffer dst = ByteBuffer.allocate(payload.length);
        await(d.read(40, dst));
        assertArrayEquals(payload, dst.array());
        assertEquals(3, disk.cdbs.size());
        disk.cdbs.sort((a, b) -> Byte.compare(a[5], b[5]));
        assertArrayEquals(BlockCdbs.read10(40, 8, false), disk.cdbs.get(0));
        assertArrayEquals(BlockCdbs.read10(48, 8, false), disk.cdbs.get(1));
        assertArrayEquals(BlockCdbs.read10(56, 4, false), disk.cdbs.get(2));
    }

    @Test
    void theConfiguredCapLimitsTransfersToo() {
        disk.maxTransferLength = 64L;
        ScsiBlockDevice d = open(new BlockDeviceOptions(4096, 5));
        assertEquals(8, d.maxTransferBlocks());
        disk.cdbs.clear();
        await(d.write(0, ByteBuffer.allocate(16 * 512), true));
        assertEquals(2, disk.cdbs.size());
        disk.cdbs.forEach(c -> assertEquals(0x08, c[1] & 0x08, "FUA on every part"));
        assertEquals(1, open(new BlockDeviceOptions(100, 5)).maxTransferBlocks(), "at least one block");
    }

    @Test
    void misalignedOrReadOnlyBuffersAreRefusedWithoutSendingAnything() {
        ScsiBlockDevice d = open();
        disk.cdbs.clear();
        IscsiException e = failure(IscsiException.class, d.read(5, ByteBuffer.allocate(1000)));
        assertEquals(IscsiError.INVAL, e.error());
        assertEquals("test LUN 1: READ of 1000 bytes at LBA 5: the length is not a multiple of the 512-byte logical block size",
                e.getMessage());
        assertTrue(failure(IscsiException.class, d.read(0, ByteBuffer.allocate(512).asReadOnlyBuffer()))
                .getMessage().contains("read-only buffer"));
        assertTrue(failure(IscsiException.class, d.write(-1, ByteBuffer.allocate(512))).getMessage().contains("out of range"));
        assertEquals(IscsiError.INVAL, failure(IscsiException.class, d.compareAndWrite(0, ByteBuffer.allocate(512),
                ByteBuffer.allocate(1024))).error());
        assertEquals(IscsiError.INVAL, failure(IscsiException.class, d.writeSame(0, 4, ByteBuffer.allocate(100), false)).error());
        assertEquals(IscsiError.INVAL, failure(IscsiException.class, d.modeSense(0x40, 0)).error());
        assertTrue(failure(IscsiException.class, d.writeSame(0, 16L << 21, ByteBuffer.allocate(512), false))
                .getMessage().contains("would take 2097152 commands"));
        assertEquals(List.of(), opcodes());
        await(d.read(0, ByteBuffer.allocate(0)));
        assertEquals(List.of(), opcodes(), "nothing to move, nothing sent");
    }

    @Test
    void checkConditionCarriesTheDecodedSenseInItsMessage() {
        ScsiBlockDevice d = open();
        CheckConditionException e = failure(CheckConditionException.class, d.read(2047, ByteBuffer.allocate(1024)));
        assertEquals(SenseKey.ILLEGAL_REQUEST, e.sense().key());
        assertEquals(IscsiError.INVAL, e.error());
        assertEquals(0x28, e.opcode());
        assertEquals(1, e.lun());
        assertEquals("test LUN 1: READ(10) LBA 0x7ff, 2 blocks: CHECK CONDITION, ILLEGAL REQUEST:"
                + " LOGICAL BLOCK ADDRESS OUT OF RANGE (ASC 0x21 ASCQ 0x00)", e.getMessage());
    }

    @Test
    void otherStatusesAndResidualsFailTheCall() {
        ScsiBlockDevice d = open();
        disk.reservationConflict = true;
        ScsiStatusException e = failure(ScsiStatusException.class, d.write(0, ByteBuffer.allocate(512), false));
        assertEquals(ScsiResult.RESERVATION_CONFLICT, e.status());
        assertEquals(IscsiError.ACCESS, e.error());
        assertEquals("test LUN 1: WRITE(10) LBA 0x0, 1 block: RESERVATION CONFLICT", e.getMessage());
        disk.reservationConflict = false;
        disk.forcedResidual = ScsiResult.Residual.UNDERFLOW;
        IscsiException r = failure(IscsiException.class, d.read(0, ByteBuffer.allocate(1024)));
        assertEquals("test LUN 1: READ(10) LBA 0x0, 2 blocks: target reported a residual underflow of 512 bytes",
                r.getMessage());
    }

    @Test
    void aFailedPartFailsTheWholeTransferOnceEveryPartIsDone() {
        disk.maxTransferLength = 4L;
        ScsiBlockDevice d = open();
        disk.cdbs.clear();
        // blocks 2044..2051: the second part is past the end
        CheckConditionException e = failure(CheckConditionException.class, d.read(2044, ByteBuffer.allocate(8 * 512)));
        assertTrue(e.sense().is(0x21, 0));
        assertEquals(2, disk.cdbs.size());
        assertEquals(0, disk.inFlight.get());
    }

    @Test
    void readAndWriteUseSixteenByteCdbsBeyondTenBytesReach() {
        ScriptedTarget t = new ScriptedTarget(512, 1L << 33);
        ScsiBlockDevice d = await(ScsiBlockDevice.open(t, 3, "LUN 3", new BlockDeviceOptions(64 << 20, 5)));
        await(d.read((1L << 32) - 1, ByteBuffer.allocate(512)));
        await(d.read(1L << 32, ByteBuffer.allocate(512)));
        await(d.write(0, ByteBuffer.allocate(65535 * 512), false));
        await(d.write(0, ByteBuffer.allocate(65536 * 512), true));
        List<byte[]> io = t.tasks.stream().map(ScsiTask::cdb).filter(c -> c[0] == 0x28 || c[0] == (byte) 0x88
                || c[0] == 0x2A || c[0] == (byte) 0x8A).toList();
        assertArrayEquals(BlockCdbs.read10((1L << 32) - 1, 1, false), io.get(0));
        assertArrayEquals(BlockCdbs.read16(1L << 32, 1, false), io.get(1));
        assertArrayEquals(BlockCdbs.write10(0, 65535, false), io.get(2));
        assertArrayEquals(BlockCdbs.write16(0, 65536, true), io.get(3));
        assertEquals(3, t.tasks.get(0).lun());
    }

    @Test
    void partsOfOneTransferAreAllInFlightTogether() {
        ManualCompleter later = new ManualCompleter();
        MemoryDisk slow = new MemoryDisk(512, 64, later);
        slow.maxTransferLength = 2L;
        var opening = ScsiBlockDevice.open(slow, 1, "LUN 1", BlockDeviceOptions.DEFAULTS);
        later.runAll();
        later.runAll();
        later.runAll();
        ScsiBlockDevice d = await(opening);
        var reading = d.read(0, ByteBuffer.allocate(8 * 512));
        assertEquals(4, slow.inFlight.get());
        assertFalse(reading.toCompletableFuture().isDone());
        later.runAll();
        await(reading);
    }

    @Test
    void flushSynchronizeCacheAndTestUnitReady() {
        ScsiBlockDevice d = open();
        disk.cdbs.clear();
        await(d.flush());
        await(d.synchronizeCache(8, 16));
        await(d.synchronizeCache(1L << 32, 0));
        await(d.testUnitReady());
        assertArrayEquals(BlockCdbs.synchronizeCache10(0, 0, false), disk.cdbs.get(0));
        assertArrayEquals(BlockCdbs.synchronizeCache10(8, 16, false), disk.cdbs.get(1));
        assertArrayEquals(BlockCdbs.synchronizeCache16(1L << 32, 0, false), disk.cdbs.get(2));
        assertArrayEquals(new byte[6], disk.cdbs.get(3));
    }

    @Test
    void unmapAndWriteSameFollowTheBlockLimits() {
        ScsiBlockDevice d = open(); // the disk's B0 page: 4 LBAs and 2 descriptors per UNMAP, WRITE SAME of 16
        Arrays.fill(disk.data, (byte) 0x55);
        disk.cdbs.clear();
        await(d.unmap(List.of(new UnmapRange(0, 3), new UnmapRange(10, 3))));
        assertEquals(2, disk.count(0x42));
        assertEquals(0, disk.data[0]);
        assertEquals(0, disk.data[13 * 512 - 1]);
        assertEquals(0x55, disk.data[13 * 512]);

        byte[] block = random(512, 3);
        await(d.writeSame(100, 40, ByteBuffer.wrap(block), false));
        assertEquals(3, disk.count(0x93));
        for (int i = 100; i < 140; i++) {
            assertArrayEquals(block, Arrays.copyOfRange(disk.data, i * 512, (i + 1) * 512), "block " + i);
        }
        await(d.writeSame(100, 1, ByteBuffer.wrap(block), true));
        assertEquals(0, disk.data[100 * 512]);
        assertEquals(0x08, disk.cdbs.get(disk.cdbs.size() - 1)[1]);
    }

    @Test
    void compareAndWriteWritesOnlyWhenTheBlocksMatch() {
        ScsiBlockDevice d = open();
        byte[] old = random(1024, 4);
        byte[] replacement = random(1024, 5);
        System.arraycopy(old, 0, disk.data, 512 * 7, 1024);
        await(d.compareAndWrite(7, ByteBuffer.wrap(old), ByteBuffer.wrap(replacement)));
        assertArrayEquals(replacement, Arrays.copyOfRange(disk.data, 512 * 7, 512 * 9));
        byte[] wrong = replacement.clone();
        wrong[600] ^= 1;
        CheckConditionException e = failure(CheckConditionException.class,
                d.compareAndWrite(7, ByteBuffer.wrap(wrong), ByteBuffer.wrap(old)));
        assertEquals(SenseKey.MISCOMPARE, e.sense().key());
        assertEquals(600, e.sense().information().getAsLong(), "offset of the first differing byte");
        assertArrayEquals(replacement, Arrays.copyOfRange(disk.data, 512 * 7, 512 * 9), "nothing written");
        assertTrue(e.getMessage().contains("COMPARE AND WRITE LBA 0x7, 2 blocks"), e.getMessage());
    }

    @Test
    void modeSenseFallsBackToSixWhereTenIsNotSupported() {
        ScsiBlockDevice d = open();
        assertTrue(await(d.modeSense(0x3F, 0)).dpoFuaSupported());
        disk.unsupported.add(0x5A);
        disk.cdbs.clear();
        assertTrue(await(d.modeSense(0x3F, 0)).dpoFuaSupported());
        assertEquals(List.of(0x5A, 0x1A), opcodes());
    }

    @Test
    void vpdPagesThroughTheDevice() {
        ScsiBlockDevice d = open();
        assertEquals(List.of(0x00, 0x80, 0xB0), await(d.supportedVpdPages()));
        assertEquals("SN1", await(d.unitSerialNumber()));
        assertEquals(8, await(d.vpdPage(0x80)).length);
        assertEquals(SenseKey.ILLEGAL_REQUEST, failure(CheckConditionException.class, d.logicalBlockProvisioning()).sense().key());
    }

    @Test
    void persistentReservations() {
        ScsiBlockDevice d = open();
        await(d.persistentReserveOut(PrOut.register(0, 0xABCDEFL)));
        await(d.persistentReserveOut(PrOut.reserve(0xABCDEFL, PrType.WRITE_EXCLUSIVE)));
        assertEquals(new PrKeys(2, List.of(0xABCDEFL)), await(d.readReservationKeys()));
        assertEquals(Optional.of(new PersistentReservation(2, 0xABCDEFL, PrType.WRITE_EXCLUSIVE, 0)),
                await(d.readReservation()));
        await(d.persistentReserveOut(PrOut.release(0xABCDEFL, PrType.WRITE_EXCLUSIVE)));
        assertEquals(Optional.empty(), await(d.readReservation()));
    }

    @Test
    void executePassesAnyStatusThroughButRefusesAnotherLun() {
        ScsiBlockDevice d = open();
        ScsiResult r = await(d.execute(ScsiTask.noData(1, new byte[] {(byte) 0xC0, 0, 0, 0, 0, 0})));
        assertEquals(ScsiResult.CHECK_CONDITION, r.status());
        assertEquals(0x20, r.sense()[12]);
        assertEquals(IscsiError.INVAL, failure(IscsiException.class, d.execute(ScsiTask.noData(2, new byte[6]))).error());
    }
}

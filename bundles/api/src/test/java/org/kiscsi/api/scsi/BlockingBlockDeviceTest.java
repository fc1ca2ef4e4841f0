package org.kiscsi.api.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

class BlockingBlockDeviceTest {
    /** A block device whose reads never finish, whose writes fail with a CHECK CONDITION, and whose flush works. */
    private static final class Device implements BlockDevice {
        final CheckConditionException writeError = new CheckConditionException("LUN 9: WRITE(10) LBA 0x0, 1 block",
                new Sense(0x70, SenseKey.DATA_PROTECT, 0x27, 0, "WRITE PROTECTED", OptionalLong.empty(), OptionalInt.empty()),
                0x2A, 9);

        @Override public long lun() { return 9; }
        @Override public int blockSize() { return 512; }
        @Override public long blockCount() { return 100; }
        @Override public CompletionStage<Void> read(long lba, ByteBuffer dst) { return new CompletableFuture<>(); }
        @Override public CompletionStage<Void> write(long lba, ByteBuffer src, boolean fua) {
            return CompletableFuture.supplyAsync(() -> { throw writeError; });
        }
        @Override public CompletionStage<Void> flush() { return CompletableFuture.completedFuture(null); }
        @Override public CompletionStage<ScsiResult> execute(ScsiTask task) { return new CompletableFuture<>(); }
    }

    private final Device device = new Device();
    private final BlockingBlockDevice blocking = BlockingBlockDevice.of(device, Duration.ofMillis(200));

    @Test
    void aCallThatNeverEndsTimesOut() {
        long start = System.nanoTime();
        IscsiException e = assertThrows(IscsiException.class, () -> blocking.read(0, ByteBuffer.allocate(512)));
        assertEquals(IscsiError.REQ_TIMEDOUT, e.error());
        assertEquals("LUN 9: READ at LBA 0: no result within 200 ms", e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void aFailureIsRethrownAsItself() {
        CheckConditionException e = assertThrows(CheckConditionException.class, () -> blocking.write(0, ByteBuffer.allocate(512)));
        assertSame(device.writeError, e);
        blocking.flush();
        assertEquals(100, blocking.capacity().blockCount());
        assertEquals(9, blocking.lun());
    }

    @Test
    void callsAddedInOnePointOneAreUnsupportedByDefault() {
        IscsiException e = assertThrows(IscsiException.class, blocking::inquiry);
        assertEquals(IscsiError.OP_NOT_SUPP, e.error());
        assertTrue(e.getMessage().startsWith("LUN 9: INQUIRY is not supported by "), e.getMessage());
        assertThrows(IscsiException.class, () -> device.addUnitAttentionListener(new UnitAttentionListener() { }));
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> BlockingBlockDevice.of(device, Duration.ZERO));
    }

    @Test
    void awaitRestoresTheInterruptFlag() {
        Thread.currentThread().interrupt();
        IscsiException e = assertThrows(IscsiException.class,
                () -> Await.result(new CompletableFuture<>(), Duration.ofSeconds(5), "waiting"));
        assertTrue(Thread.interrupted(), "interrupt flag set again (and cleared here)");
        assertEquals("waiting: interrupted while waiting", e.getMessage());
    }
}

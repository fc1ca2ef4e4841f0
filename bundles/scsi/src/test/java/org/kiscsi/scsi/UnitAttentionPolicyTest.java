package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Stages.await;
import static org.kiscsi.scsi.Stages.failure;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.SenseKey;
import org.kiscsi.api.scsi.UnitAttentionListener;

/**
 * The unit attention policy: over an executor that does not retry them, resend up to the configured
 * count; over one that does (kiscsi's sessions), never on top; either way tell listeners and re-read a
 * changed capacity.
 */
class UnitAttentionPolicyTest {
    private final MemoryDisk disk = new MemoryDisk(512, 256);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final UnitAttentionListener listener = new UnitAttentionListener() {
        @Override
        public void unitAttention(long lun, Sense sense) {
            heard.add("ua " + lun + " " + Integer.toHexString(sense.asc()) + "/" + Integer.toHexString(sense.ascq()));
        }

        @Override
        public void rescanNeeded(long lun, Sense sense) {
            heard.add("rescan " + lun + " " + Integer.toHexString(sense.asc()) + "/" + Integer.toHexString(sense.ascq()));
        }
    };

    private ScsiBlockDevice open(int retries) {
        ScsiBlockDevice d = await(ScsiBlockDevice.open(disk, 4, "LUN 4", new BlockDeviceOptions(1 << 20, retries)));
        d.addUnitAttentionListener(listener);
        disk.cdbs.clear();
        return d;
    }

    @Test
    void aUnitAttentionIsRetriedAndTheWriteSucceeds() {
        ScsiBlockDevice d = open(5);
        disk.queueUnitAttention(0x29, 0x00);
        byte[] data = new byte[512];
        data[0] = 42;
        await(d.write(3, ByteBuffer.wrap(data), false));
        assertEquals(42, disk.data[3 * 512]);
        assertEquals(2, disk.count(0x2A));
        assertEquals(List.of("ua 4 29/0"), heard);
    }

    @Test
    void severalQueuedUnitAttentionsAreRetriedWithinTheBudget() {
        ScsiBlockDevice d = open(5);
        disk.queueUnitAttention(0x29, 0x00);
        disk.queueUnitAttention(0x2A, 0x01);
        disk.queueUnitAttention(0x2A, 0x03);
        await(d.testUnitReady());
        assertEquals(4, disk.count(0x00));
        assertEquals(List.of("ua 4 29/0", "ua 4 2a/1", "ua 4 2a/3"), heard);
    }

    @Test
    void pastTheBudgetTheUnitAttentionReachesTheCaller() {
        ScsiBlockDevice d = open(2);
        for (int i = 0; i < 3; i++) {
            disk.queueUnitAttention(0x29, 0x00);
        }
        CheckConditionException e = failure(CheckConditionException.class, d.read(0, ByteBuffer.allocate(512)));
        assertEquals(SenseKey.UNIT_ATTENTION, e.sense().key());
        assertEquals(3, disk.count(0x28), "the first try and two retries");
        assertTrue(e.getMessage().contains("UNIT ATTENTION: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED"), e.getMessage());
    }

    @Test
    void withNoRetriesTheFirstUnitAttentionFails() {
        ScsiBlockDevice d = open(0);
        disk.queueUnitAttention(0x29, 0x00);
        failure(CheckConditionException.class, d.flush());
        assertEquals(1, disk.count(0x35));
    }

    /** The block count {@code d} reports each time it announces a rescan, from now on. */
    private static List<Long> capacitiesAtRescans(ScsiBlockDevice d) {
        List<Long> seen = new CopyOnWriteArrayList<>();
        d.addUnitAttentionListener(new UnitAttentionListener() {
            @Override
            public void rescanNeeded(long lun, Sense sense) {
                seen.add(d.blockCount());
            }
        });
        return seen;
    }

    @Test
    void capacityChangedRereadsTheCapacityBeforeAskingForARescan() {
        ScsiBlockDevice d = open(5);
        List<Long> seen = capacitiesAtRescans(d);
        disk.blockCount = 200;
        disk.queueUnitAttention(0x2A, 0x09);
        await(d.read(0, ByteBuffer.allocate(512)));
        assertEquals(List.of("ua 4 2a/9", "rescan 4 2a/9"), heard);
        assertEquals(List.of(200L), seen);
        assertEquals(200, d.capacity().blockCount());
    }

    @Test
    void reportedLunsChangedAsksForARescan() {
        ScsiBlockDevice d = open(5);
        disk.queueUnitAttention(0x3F, 0x0E);
        await(d.testUnitReady());
        assertEquals(List.of("ua 4 3f/e", "rescan 4 3f/e"), heard);
        d.removeUnitAttentionListener(listener);
        disk.queueUnitAttention(0x3F, 0x0E);
        await(d.testUnitReady());
        assertEquals(2, heard.size(), "a removed listener hears nothing");
    }

    @Test
    void aFailingListenerDoesNotFailTheCommand() {
        ScsiBlockDevice d = open(5);
        d.addUnitAttentionListener(new UnitAttentionListener() {
            @Override
            public void unitAttention(long lun, Sense sense) {
                throw new IllegalStateException("listener bug");
            }
        });
        disk.queueUnitAttention(0x29, 0x00);
        await(d.testUnitReady());
        assertEquals(List.of("ua 4 29/0"), heard);
    }

    @Test
    void overAnExecutorThatRetriesItselfTheDeviceDoesNotRetryOnTop() {
        disk.ownsUnitAttentions = true;
        ScsiBlockDevice d = open(5);
        disk.queueUnitAttention(0x29, 0x00);
        CheckConditionException e = failure(CheckConditionException.class, d.read(0, ByteBuffer.allocate(512)));
        assertEquals(SenseKey.UNIT_ATTENTION, e.sense().key());
        assertEquals(1, disk.count(0x28), "one try: a unit attention past the executor's own retries goes to the caller");
        assertEquals(List.of(), heard, "listeners hear of unit attentions from the session that owns them, not twice");
        await(d.read(0, ByteBuffer.allocate(512)));
    }

    @Test
    void overAnExecutorThatRetriesItselfWhatTheSessionReportsReachesTheListeners() {
        disk.ownsUnitAttentions = true;
        ScsiBlockDevice d = open(5);
        List<Long> seen = capacitiesAtRescans(d);
        disk.blockCount = 300;
        d.sessionReported(Sense.decode(MemoryDisk.sense(6, 0x2A, 0x09)).orElseThrow());
        assertEquals(List.of("ua 4 2a/9", "rescan 4 2a/9"), heard);
        assertEquals(List.of(300L), seen, "the capacity is read again before the rescan is announced");
        assertEquals(1, disk.count(0x9E));
    }

    @Test
    void aRetryStartsFromTheBuffersFirstPositionEvenIfTheExecutorMovedIt() {
        System.arraycopy(new byte[] {1, 2, 3}, 0, disk.data, 512, 3);
        AtomicBoolean first = new AtomicBoolean(true);
        // an executor that writes half the data, then reports a unit attention: the resend must see the whole buffer
        ScsiTaskExecutor careless = new ScsiTaskExecutor() {
            @Override
            public CompletionStage<ScsiResult> execute(ScsiTask task) {
                if (first.getAndSet(false) && task.dataIn() != null) {
                    task.dataIn().put(new byte[256]);
                    return java.util.concurrent.CompletableFuture.completedFuture(
                            new ScsiResult(2, MemoryDisk.sense(6, 0x29, 0), 256, 0, ScsiResult.Residual.NONE));
                }
                return disk.execute(task);
            }

            @Override
            public int queueDepth() {
                return 1;
            }
        };
        CommandRunner runner = new CommandRunner(careless, "LUN 4", 5, UnitAttentionSink.NONE);
        ByteBuffer dst = ByteBuffer.allocate(600).position(50).limit(562);
        await(runner.run(ScsiTask.read(4, BlockCdbs.read10(1, 1, false), dst), CommandRunner.FULL_TRANSFER));
        assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOfRange(dst.array(), 50, 53));
        assertEquals(1, disk.count(0x28), "the first try never reached the disk, the retry did");
    }
}

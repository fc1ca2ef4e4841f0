package org.kiscsi.scsi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;

/**
 * A test double of {@link ScsiTaskExecutor} for LUs too large to keep: READ CAPACITY (16) reports the
 * given size, INQUIRY a disk without VPD pages, and any READ or WRITE succeeds without data. It records
 * every task.
 */
final class ScriptedTarget implements ScsiTaskExecutor {
    final List<ScsiTask> tasks = new CopyOnWriteArrayList<>();
    private final int blockSize;
    private final long blockCount;

    ScriptedTarget(int blockSize, long blockCount) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        tasks.add(task);
        byte[] c = task.cdb();
        ScsiResult r = switch (c[0] & 0xFF) {
            case 0x9E -> in(task, ByteBuffer.allocate(32).putLong(blockCount - 1).putInt(blockSize).array());
            case 0x12 -> (c[1] & 1) != 0 ? new ScsiResult(2, MemoryDisk.sense(5, 0x24, 0), 0, 0, ScsiResult.Residual.NONE)
                    : in(task, new byte[36]);
            default -> new ScsiResult(0, null, task.expectedInLength(), 0, ScsiResult.Residual.NONE);
        };
        return CompletableFuture.completedFuture(r);
    }

    private static ScsiResult in(ScsiTask t, byte[] d) {
        int n = Math.min(d.length, t.expectedInLength());
        t.dataIn().duplicate().put(d, 0, n);
        return new ScsiResult(0, null, n, 0, ScsiResult.Residual.NONE);
    }

    @Override
    public int queueDepth() {
        return 32;
    }
}

package org.kiscsi.export.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.LbaStatus;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.UnmapRange;

/** A thin LU in memory that records the calls made to it; reads can be held back to reorder completions. */
final class MemoryDevice implements BlockDevice {
    final int blockSize;
    final byte[] data;
    final BitSet mapped = new BitSet();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final boolean thin;
    volatile CompletableFuture<Void> readGate = CompletableFuture.completedFuture(null);
    volatile long gatedLba = -1;

    MemoryDevice(int blockSize, int blocks, boolean thin) {
        this.blockSize = blockSize;
        this.data = new byte[blockSize * blocks];
        this.thin = thin;
    }

    @Override
    public long lun() {
        return 1;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return data.length / blockSize;
    }

    @Override
    public synchronized CompletionStage<Void> read(long lba, ByteBuffer dst) {
        calls.add("read " + lba + " " + dst.remaining() / blockSize);
        ByteBuffer d = dst.duplicate();
        Runnable copy = () -> {
            synchronized (this) {
                d.put(data, (int) lba * blockSize, d.remaining());
            }
        };
        if (lba == gatedLba) {
            return readGate.thenRun(copy);
        }
        copy.run();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> write(long lba, ByteBuffer src, boolean fua) {
        calls.add("write " + lba + " " + src.remaining() / blockSize + (fua ? " fua" : ""));
        src.duplicate().get(data, (int) lba * blockSize, src.remaining());
        mapped.set((int) lba, (int) (lba + src.remaining() / blockSize));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> flush() {
        calls.add("flush");
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> synchronizeCache(long lba, long blocks) {
        calls.add("sync " + lba + " " + blocks);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> unmap(List<UnmapRange> ranges) {
        for (UnmapRange r : ranges) {
            calls.add("unmap " + r.lba() + " " + r.blocks());
            java.util.Arrays.fill(data, (int) r.lba() * blockSize, (int) (r.lba() + r.blocks()) * blockSize, (byte) 0);
            mapped.clear((int) r.lba(), (int) (r.lba() + r.blocks()));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> writeSame(long lba, long blocks, ByteBuffer block, boolean unmap) {
        calls.add("writesame " + lba + " " + blocks + (unmap ? " unmap" : ""));
        java.util.Arrays.fill(data, (int) lba * blockSize, (int) (lba + blocks) * blockSize, (byte) 0);
        if (unmap) {
            mapped.clear((int) lba, (int) (lba + blocks));
        } else {
            mapped.set((int) lba, (int) (lba + blocks));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<LbaStatus>> getLbaStatus(long lba, int max) {
        calls.add("getlbastatus " + lba);
        List<LbaStatus> out = new ArrayList<>();
        long at = lba;
        while (at < blockCount() && out.size() < max) {
            boolean m = mapped.get((int) at);
            long end = m ? mapped.nextClearBit((int) at) : Math.min(blockCount(), mapped.nextSetBit((int) at) < 0
                    ? blockCount() : mapped.nextSetBit((int) at));
            out.add(new LbaStatus(at, end - at, m ? LbaStatus.MAPPED : LbaStatus.DEALLOCATED));
            at = end;
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<BlockLimits> blockLimits() {
        return CompletableFuture.completedFuture(new BlockLimits(false, 0, 0, 2048, 128, 0, 0, 0, 0, false, 0, 0));
    }

    @Override
    public CompletionStage<LogicalBlockProvisioning> logicalBlockProvisioning() {
        return CompletableFuture.completedFuture(thin ? new LogicalBlockProvisioning(0, true, true, false, 1, false, false, 2)
                : new LogicalBlockProvisioning(0, false, false, false, 0, false, false, 0));
    }

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        throw new UnsupportedOperationException();
    }
}

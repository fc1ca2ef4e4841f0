package org.kiscsi.export.nbd.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.LbaStatus;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.UnmapRange;

/**
 * The block device of an export: the LUN of whichever session of its record is current. While a
 * session is there, calls go straight to its device (the engine itself holds them while the session
 * recovers, and fails them after replacement_timeout). While there is none, calls wait for the next
 * one, each at most {@link #holdTimeout}, and then fail with SESSION_NOT_CONNECTED (EIO to NBD
 * clients). Size and block size are the first device's: a replacement with others is refused.
 */
final class FollowingDevice implements BlockDevice {
    private final String where;
    private final long lun;
    private final int blockSize;
    private final long blockCount;
    private final ScheduledExecutorService timers;
    private final List<Held<?>> held = new ArrayList<>();
    private BlockDevice current;
    private Duration holdTimeout;
    private String absence = "no session";

    private final class Held<T> {
        final Function<BlockDevice, CompletionStage<T>> call;
        final CompletableFuture<T> result = new CompletableFuture<>();
        ScheduledFuture<?> timer;

        Held(Function<BlockDevice, CompletionStage<T>> call) {
            this.call = call;
        }

        void run(BlockDevice d) {
            timer.cancel(false);
            forward(d, call, result);
        }
    }

    FollowingDevice(String where, BlockDevice first, Duration holdTimeout, ScheduledExecutorService timers) {
        this.where = where;
        this.lun = first.lun();
        this.blockSize = first.blockSize();
        this.blockCount = first.blockCount();
        this.current = first;
        this.holdTimeout = holdTimeout;
        this.timers = timers;
    }

    /** Why {@code d} cannot replace the first device, or null. */
    String mismatch(BlockDevice d) {
        if (d.blockSize() != blockSize || d.blockCount() != blockCount) {
            return "the LU came back with " + d.blockCount() + " blocks of " + d.blockSize() + " bytes, was " + blockCount
                    + " of " + blockSize + " (remove the export and add it again)";
        }
        return null;
    }

    /** A session is there again: held calls go to it. */
    void attach(BlockDevice d, Duration replacementTimeout) {
        List<Held<?>> todo;
        synchronized (this) {
            current = d;
            holdTimeout = replacementTimeout;
            todo = List.copyOf(held);
            held.clear();
        }
        todo.forEach(h -> h.run(d));
    }

    /** The session is gone: calls from now on wait for the next. */
    synchronized void detach(String why) {
        current = null;
        absence = why;
    }

    /** The export is removed or failed: held calls fail now, later ones at once. */
    void fail(String why) {
        List<Held<?>> todo;
        synchronized (this) {
            current = null;
            holdTimeout = Duration.ZERO;
            absence = why;
            todo = List.copyOf(held);
            held.clear();
        }
        todo.forEach(h -> {
            h.timer.cancel(false);
            h.result.completeExceptionally(new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + ": " + why));
        });
    }

    synchronized int heldCalls() {
        return held.size();
    }

    private <T> CompletionStage<T> call(Function<BlockDevice, CompletionStage<T>> call) {
        BlockDevice d;
        Held<T> h;
        synchronized (this) {
            d = current;
            if (d == null) {
                if (holdTimeout.isZero() || holdTimeout.isNegative()) {
                    return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + ": "
                            + absence));
                }
                h = new Held<>(call);
                Duration t = holdTimeout;
                h.timer = timers.schedule(() -> expire(h, t), t.toMillis(), TimeUnit.MILLISECONDS);
                held.add(h);
                return h.result;
            }
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        forward(d, call, f);
        return f;
    }

    private void expire(Held<?> h, Duration t) {
        String why;
        synchronized (this) {
            if (!held.remove(h)) {
                return;
            }
            why = absence;
        }
        h.result.completeExceptionally(new IscsiException(IscsiError.SESSION_NOT_CONNECTED, where + ": " + why
                + " for " + t.toSeconds() + " s (node.session.timeo.replacement_timeout)"));
    }

    private static <T> void forward(BlockDevice d, Function<BlockDevice, CompletionStage<T>> call, CompletableFuture<T> f) {
        try {
            call.apply(d).whenComplete((v, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(v);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }

    @Override
    public long lun() {
        return lun;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public CompletionStage<Void> read(long lba, ByteBuffer dst) {
        return call(d -> d.read(lba, dst));
    }

    @Override
    public CompletionStage<Void> write(long lba, ByteBuffer src, boolean forceUnitAccess) {
        return call(d -> d.write(lba, src, forceUnitAccess));
    }

    @Override
    public CompletionStage<Void> flush() {
        return call(BlockDevice::flush);
    }

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        return call(d -> d.execute(task));
    }

    @Override
    public CompletionStage<Void> synchronizeCache(long lba, long blocks) {
        return call(d -> d.synchronizeCache(lba, blocks));
    }

    @Override
    public CompletionStage<Void> unmap(List<UnmapRange> ranges) {
        return call(d -> d.unmap(ranges));
    }

    @Override
    public CompletionStage<Void> writeSame(long lba, long blocks, ByteBuffer block, boolean unmap) {
        return call(d -> d.writeSame(lba, blocks, block, unmap));
    }

    @Override
    public CompletionStage<List<LbaStatus>> getLbaStatus(long lba, int maxDescriptors) {
        return call(d -> d.getLbaStatus(lba, maxDescriptors));
    }

    @Override
    public CompletionStage<BlockLimits> blockLimits() {
        return call(BlockDevice::blockLimits);
    }

    @Override
    public CompletionStage<LogicalBlockProvisioning> logicalBlockProvisioning() {
        return call(BlockDevice::logicalBlockProvisioning);
    }
}

package org.kiscsi.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;

/**
 * One soak session's I/O: random reads and writes of 1 to 16 stamped blocks, a few in flight, never
 * two on the same block at once; every block read is checked against what was written. Completions
 * come back on the engine's threads and are applied on the worker's own, which owns the model.
 */
final class SoakWorker implements Runnable {
    private static final int SECTOR = 512;
    private static final int PER_BLOCK = StampedLun.BLOCK / SECTOR;

    /** A failed command: when, which, why. */
    record Failure(String session, long nanoTime, String what, String why) {
    }

    /** Failures kept whole, for the report; beyond them only their times are kept. */
    private static final int FAILURES_KEPT = 200;
    /** A worker whose command failed waits this long before it sends more (commands fail fast while a session is down). */
    private static final long BACKOFF_MILLIS = 100;

    private record Op(int id, boolean write, int block, int count, long[] versions, ByteBuffer data, long startedNanos) {
    }

    private record Done(Op op, ScsiResult result, Throwable error) {
    }

    final String name;
    private final ScsiTaskExecutor x;
    final StampedLun lun;
    private final int depth;
    private final Random random;
    private final long hungNanos;
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Map<Integer, Op> inFlight = new HashMap<>();
    private final BitSet busy = new BitSet();
    final List<Failure> failures = new ArrayList<>(); // guarded by itself; the first FAILURES_KEPT
    private long[] failureTimes = new long[1024]; // guarded by failures
    private int failureCount; // guarded by failures
    final List<String> damage = new ArrayList<>(); // guarded by itself
    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong blocksChecked = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong corrupt = new AtomicLong();
    final AtomicLong hung = new AtomicLong();
    private volatile boolean stopping;
    private int nextId;

    SoakWorker(String name, ScsiTaskExecutor x, StampedLun lun, int depth, long seed, long hungNanos) {
        this.name = name;
        this.x = x;
        this.lun = lun;
        this.depth = depth;
        this.random = new Random(seed);
        this.hungNanos = hungNanos;
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            while (!stopping || !inFlight.isEmpty()) {
                while (!stopping && inFlight.size() < depth) {
                    submit();
                }
                Done d = done.poll(1, TimeUnit.SECONDS);
                if (d != null && !apply(d) && !stopping) {
                    Thread.sleep(BACKOFF_MILLIS);
                }
                watchForHangs();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit() {
        int count = 1 + random.nextInt(16);
        int block = random.nextInt(lun.blocks() - count + 1);
        if (busy.get(block, block + count).cardinality() > 0) {
            return; // the next round picks another place
        }
        boolean write = random.nextBoolean();
        ByteBuffer data = ByteBuffer.allocateDirect(count * StampedLun.BLOCK);
        long[] versions = new long[count];
        if (write) {
            for (int i = 0; i < count; i++) {
                versions[i] = lun.nextVersion(block + i);
                lun.fill(data, block + i, versions[i]);
            }
            data.flip();
        }
        Op op = new Op(nextId++, write, block, count, versions, data, System.nanoTime());
        inFlight.put(op.id(), op);
        busy.set(block, block + count);
        long lba = (long) block * PER_BLOCK;
        ScsiTask t = write ? ScsiTask.write(1, Cdbs.write16(lba, count * PER_BLOCK), data)
                : ScsiTask.read(1, Cdbs.read16(lba, count * PER_BLOCK), data);
        CompletableFuture<ScsiResult> f = x.execute(t).toCompletableFuture();
        f.whenComplete((r, e) -> done.add(new Done(op, r, e)));
    }

    /** Applies a completion to the model; false when the command failed. */
    private boolean apply(Done d) {
        Op op = d.op();
        inFlight.remove(op.id());
        busy.clear(op.block(), op.block() + op.count());
        String what = (op.write() ? "write" : "read") + " of blocks " + op.block() + ".." + (op.block() + op.count() - 1);
        if (d.error() != null || !d.result().isGood()) {
            String why = d.error() != null ? String.valueOf(d.error().getCause() != null ? d.error().getCause() : d.error())
                    : "status " + d.result().status();
            failed(new Failure(name, System.nanoTime(), what, why));
            if (op.write()) {
                for (int i = 0; i < op.count(); i++) {
                    lun.writeFailed(op.block() + i, op.versions()[i]);
                }
            }
            return false;
        }
        if (op.write()) {
            writes.incrementAndGet();
            for (int i = 0; i < op.count(); i++) {
                lun.written(op.block() + i, op.versions()[i]);
            }
            return true;
        }
        reads.incrementAndGet();
        check(op.data().clear(), op.block(), op.count());
        return true;
    }

    private void failed(Failure f) {
        synchronized (failures) {
            if (failures.size() < FAILURES_KEPT) {
                failures.add(f);
            }
            if (failureCount == failureTimes.length) {
                failureTimes = java.util.Arrays.copyOf(failureTimes, failureCount * 2);
            }
            failureTimes[failureCount++] = f.nanoTime();
        }
    }

    /** When every failed command failed ({@link System#nanoTime()}). */
    long[] failureTimes() {
        synchronized (failures) {
            return java.util.Arrays.copyOf(failureTimes, failureCount);
        }
    }

    /** Checks {@code count} blocks from {@code block} read into {@code data}. */
    void check(ByteBuffer data, int block, int count) {
        for (int i = 0; i < count; i++) {
            int b = block + i;
            String before = lun.possible(b);
            long seen = data.getLong(i * StampedLun.BLOCK + 16);
            StampedLun.Found found = lun.check(data.position(i * StampedLun.BLOCK), b);
            blocksChecked.incrementAndGet();
            if (found != StampedLun.Found.OK) {
                (found == StampedLun.Found.LOST ? lost : corrupt).incrementAndGet();
                synchronized (damage) {
                    if (damage.size() < 20) {
                        damage.add(name + " block " + b + ": " + found + " (version " + seen + " read, one of " + before + " expected)");
                    }
                }
            }
        }
    }

    private void watchForHangs() {
        long now = System.nanoTime();
        for (Op op : inFlight.values()) {
            if (now - op.startedNanos() > hungNanos) {
                hung.incrementAndGet();
                synchronized (damage) {
                    damage.add(name + " " + (op.write() ? "write" : "read") + " of block " + op.block() + " still waiting after "
                            + TimeUnit.NANOSECONDS.toSeconds(now - op.startedNanos()) + " s");
                }
                inFlight.remove(op.id()); // counted once; its completion, if it ever comes, is dropped below
                return;
            }
        }
    }

    /** Reads every block once, in order, and checks it (after the workers stopped). */
    void verifyAll(long timeoutSeconds) throws Exception {
        int step = 64;
        for (int b = 0; b < lun.blocks(); b += step) {
            int count = Math.min(step, lun.blocks() - b);
            ByteBuffer data = ByteBuffer.allocateDirect(count * StampedLun.BLOCK);
            ScsiResult r = x.execute(ScsiTask.read(1, Cdbs.read16((long) b * PER_BLOCK, count * PER_BLOCK), data))
                    .toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
            if (!r.isGood()) {
                throw new IllegalStateException(name + ": verification read of blocks " + b + ".. failed: status " + r.status());
            }
            check(data.clear(), b, count);
        }
    }
}

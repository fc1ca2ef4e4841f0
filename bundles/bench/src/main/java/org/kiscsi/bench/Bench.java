package org.kiscsi.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * Closed-loop benchmark, as iscsi-perf: {@code qd} commands in flight on each of its sessions, each
 * completion sends the next one from its callback (several sessions: as many iscsi-perf processes). Reports IOPS, MiB/s, latency percentiles, CPU per I/O and bytes
 * allocated per I/O (all threads, from the JVM's allocation counters).
 */
public final class Bench {
    /** How long the JIT must have been idle before the measured interval starts ({@link #awaitJitQuiet}). */
    private static final long JIT_QUIET_MS = 1500;
    private static final long JIT_QUIET_MAX_S = 15;
    private final BenchOptions o;
    private final List<ScsiTaskExecutor> luns;
    private final long blocks;
    private final Histogram latency = new Histogram(3_600_000_000L, 3);
    /** I/Os completed since the start, warm-up included: warm-up runs the very code it measures. */
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** --ops: the completed count at which the measured interval ends (none until it starts). */
    private volatile long opsLimit = Long.MAX_VALUE;
    private volatile long stopAt;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicLong inFlight = new AtomicLong();
    /** The next LBA of a sequential pattern, per session. */
    private final long[] seqLba;

    private Bench(BenchOptions o, List<ScsiTaskExecutor> luns, long blocks) {
        this.o = o;
        this.luns = luns;
        this.blocks = blocks;
        this.seqLba = new long[luns.size()];
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.print((e.getMessage() == null ? "" : "kiscsi-bench: " + e.getMessage() + "\n") + BenchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 1);
            return;
        }
        try (TcpTransport tcp = new TcpTransport(o.transport());
             IscsiEngine engine = IscsiEngine.builder().initiatorName(o.initiator()).transport(tcp).build()) {
            RecordValues v = RecordValues.empty().with(NodeKeys.LOGIN_TIMEOUT, "10").with(NodeKeys.SCSI_CMD_TIMEOUT, "60")
                    .with(NodeKeys.CMDS_MAX, Integer.toString(Math.max(128, o.queueDepth())));
            if (o.digests()) {
                v = v.with(NodeKeys.HEADER_DIGEST, "CRC32C").with(NodeKeys.DATA_DIGEST, "CRC32C");
            }
            // every session is a login of its own (its own ISID), also where several go to one target
            List<CompletableFuture<SessionInfo>> logins = new ArrayList<>();
            for (int i = 0; i < o.sessions(); i++) {
                String target = o.targets().get(i % o.targets().size());
                NodeRecord record = NodeRecord.create(new NodeKey(IscsiName.of(target), o.portal(), null), v);
                logins.add(engine.login(record).toCompletableFuture());
            }
            List<SessionInfo> sessions = new ArrayList<>();
            List<ScsiTaskExecutor> luns = new ArrayList<>();
            long blocks = o.spanBytes() / 512;
            for (CompletableFuture<SessionInfo> f : logins) {
                SessionInfo s = f.get(30 + o.sessions() / 10, TimeUnit.SECONDS);
                sessions.add(s);
                ScsiTaskExecutor x = engine.executor(s.sid());
                luns.add(x);
                blocks = Math.min(blocks, capacity(x, o.lun()));
            }
            System.out.println(new Bench(o, luns, blocks).run());
            List<CompletableFuture<?>> logouts = new ArrayList<>();
            for (SessionInfo s : sessions) {
                logouts.add(engine.logout(s.sid()).toCompletableFuture());
            }
            CompletableFuture.allOf(logouts.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The benchmark on a session the caller logged in (bin/kiscsi-bench with a URL): {@code args} as
     * {@link #usage()}, with {@code --portal}, {@code --target} and {@code --lun} naming that session's LUN.
     * Returns the result line.
     */
    public static String runOn(ScsiTaskExecutor x, String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args);
        if (o.sessions() != 1) {
            throw new BenchOptions.UsageException("--sessions: a URL names one session; use --portal and --target for several");
        }
        long blocks = capacity(x, o.lun());
        return new Bench(o, List.of(x), Math.min(blocks, o.spanBytes() / 512)).run();
    }

    /** The TCP transport's options {@code args} ask for (--busy-poll-us, --read-coalesce-us, --moderation). */
    public static TcpOptions transportOptions(String[] args) {
        return BenchOptions.parse(args).transport();
    }

    /** The options' help text. */
    public static String usage() {
        return BenchOptions.USAGE;
    }

    private static long capacity(ScsiTaskExecutor x, int lun) throws Exception {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x9E;
        cdb[1] = 0x10;
        cdb[13] = 32;
        ByteBuffer in = ByteBuffer.allocate(32);
        ScsiResult r = null;
        for (int i = 0; i < 5; i++) { // the first command after login may meet a unit attention the engine retries
            r = x.execute(ScsiTask.read(lun, cdb, in)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (r.isGood()) {
                break;
            }
        }
        if (r == null || !r.isGood()) {
            throw new IllegalStateException("READ CAPACITY(16) on LUN " + lun + " failed with status " + (r == null ? -1 : r.status()));
        }
        if (in.getInt(8) != 512) {
            throw new IllegalStateException("LUN " + lun + " has " + in.getInt(8) + "-byte blocks; kiscsi-bench assumes 512");
        }
        return in.getLong(0) + 1;
    }

    private String run() throws Exception {
        int blocksPerIo = o.blockSize() / 512;
        if (blocks < blocksPerIo) {
            throw new IllegalStateException("LUN too small for " + o.blockSize() + "-byte I/O");
        }
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
        stopAt = System.nanoTime() + TimeUnit.HOURS.toNanos(1); // set for real when measuring starts
        SplittableRandom seeds = new SplittableRandom(1);
        for (int s = 0; s < luns.size(); s++) {
            for (int i = 0; i < o.queueDepth(); i++) {
                Worker w = new Worker(s, ByteBuffer.allocateDirect(o.blockSize()), seeds.split());
                inFlight.incrementAndGet();
                w.next();
            }
        }
        // warm-up, then the measured interval: at least the warm-up time and --warmup-ops I/Os (bounded),
        // so the JIT has compiled the I/O path also for large transfers, which run few I/Os per second
        sleepUntil(warmupEnd);
        long warmupLimit = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (completed.get() < o.warmupOps() && System.nanoTime() - warmupLimit < 0 && !done.isDone()) {
            Thread.sleep(50);
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // the counters' first reads take paths (regular expressions, iterators) that compiled code has not
        // seen: read once before waiting for the JIT, so their recompilation is not measured
        os.getProcessCpuTime();
        allocated(threads);
        if (o.warmupOps() > 0) {
            awaitJitQuiet(jit, warmupLimit);
        }
        long jit0 = jitMillis(jit);
        stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.seconds());
        long alloc0 = allocated(threads);
        long cpu0 = os.getProcessCpuTime();
        // the same completion path before and after this point: a branch first taken here would make
        // the JIT throw away and recompile the I/O path inside the measured interval
        long t0 = System.nanoTime();
        long ops0;
        synchronized (latency) {
            latency.reset();
            ops0 = completed.get();
        }
        opsLimit = o.maxOps() > Long.MAX_VALUE - ops0 ? Long.MAX_VALUE : ops0 + o.maxOps();
        // markers for a caller that samples the target's CPU over the measured interval only (dev/bench)
        System.out.println("kiscsi-bench: measuring");
        System.out.flush();
        done.get(o.seconds() + 120L, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        System.out.println("kiscsi-bench: measured");
        System.out.flush();
        long cpu1 = os.getProcessCpuTime();
        long jitMs = jitMillis(jit) - jit0;
        long alloc1 = allocated(threads);
        long ops = completed.get() - ops0;
        double secs = (t1 - t0) / 1e9;
        double iops = ops / secs;
        return String.format(Locale.ROOT,
                "tool=kiscsi pattern=%s bs=%d qd=%d sessions=%d ops=%d seconds=%.2f iops=%.0f mib_s=%.1f lat_p50_us=%.1f lat_p99_us=%.1f "
                        + "lat_p999_us=%.1f lat_max_us=%.1f cpu_us_per_io=%.2f alloc_bytes_per_io=%.0f jit_ms=%d failures=%d",
                o.pattern().name().toLowerCase(Locale.ROOT), o.blockSize(), o.queueDepth(), luns.size(), ops, secs, iops,
                iops * o.blockSize() / (1 << 20), latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getValueAtPercentile(99.9) / 1000.0,
                latency.getMaxValue() / 1000.0, ops == 0 ? 0 : (cpu1 - cpu0) / 1000.0 / ops,
                ops == 0 ? 0 : (double) (alloc1 - alloc0) / ops, jitMs, failures.get());
    }

    /**
     * Waits, after the warm-up proper, until the JIT has compiled nothing for {@link #JIT_QUIET_MS}
     * (at most until {@code limit} and {@link #JIT_QUIET_MAX_S} more): CPU the compiler spends in the
     * measured interval would count as the I/O path's, which in a long-running initiator it is not.
     * Large transfers run few I/Os a second, and the I/O thread's loop turns a few times per I/O, so
     * the last tiers of its compilation may come late.
     */
    private void awaitJitQuiet(CompilationMXBean jit, long limit) throws InterruptedException {
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long end = Math.max(limit, System.nanoTime()) + TimeUnit.SECONDS.toNanos(JIT_QUIET_MAX_S);
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(JIT_QUIET_MS) && System.nanoTime() - end < 0
                && !done.isDone()) {
            Thread.sleep(100);
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    private static long jitMillis(CompilationMXBean jit) {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (a > 0) {
                sum += a;
            }
        }
        return sum;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private long nextLba(int session, SplittableRandom r) {
        long perIo = o.blockSize() / 512;
        if (o.pattern().random()) {
            return r.nextLong(blocks / perIo) * perIo;
        }
        synchronized (seqLba) {
            long lba = seqLba[session];
            seqLba[session] = lba + perIo >= blocks ? 0 : lba + perIo;
            return lba;
        }
    }

    /** One slot of the queue: its buffer and its next command. */
    private final class Worker {
        private final int session;
        private final ScsiTaskExecutor lun;
        private final ByteBuffer buffer;
        private final SplittableRandom random;
        private final byte[] cdb = new byte[16];
        private long started;

        Worker(int session, ByteBuffer buffer, SplittableRandom random) {
            this.session = session;
            this.lun = luns.get(session);
            this.buffer = buffer;
            this.random = random;
        }

        void next() {
            long now = System.nanoTime();
            if (now - stopAt >= 0 || completed.get() >= opsLimit) {
                if (inFlight.decrementAndGet() == 0) {
                    done.complete(null);
                }
                return;
            }
            long lba = nextLba(session, random);
            int n = o.blockSize() / 512;
            ByteBuffer c = ByteBuffer.wrap(cdb);
            c.put(0, (byte) (o.pattern().write() ? 0x8A : 0x88)).putLong(2, lba).putInt(10, n);
            buffer.clear();
            started = now;
            ScsiTask t = o.pattern().write() ? ScsiTask.write(o.lun(), cdb, buffer) : ScsiTask.read(o.lun(), cdb, buffer);
            lun.execute(t).whenComplete(this::completed);
        }

        private void completed(ScsiResult r, Throwable e) {
            if (e != null || !r.isGood()) {
                failures.incrementAndGet();
                if (failures.get() > 100) {
                    done.completeExceptionally(new IllegalStateException("more than 100 failed I/Os; last: "
                            + (e != null ? e.getMessage() : "status " + r.status())));
                    return;
                }
            } else {
                synchronized (latency) {
                    completed.incrementAndGet();
                    latency.recordValue(System.nanoTime() - started);
                }
            }
            next();
        }
    }
}

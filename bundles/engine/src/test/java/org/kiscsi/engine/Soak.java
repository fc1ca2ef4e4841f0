package org.kiscsi.engine;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.proxy.FaultProxy;
import org.kiscsi.transport.tcp.TcpTransport;
import org.kiscsi.testkit.hostile.LeakCounts;

/**
 * {@code dev/soak [minutes]}: sessions to a tgtd of its own, each through a {@link FaultProxy}, with
 * random stamped reads and writes while {@link SoakChaos} cuts, stalls, refuses, restarts tgtd and
 * replaces the TCP transport. At the end every block is read back and checked, command failures are
 * set against the sessions' recovery windows, and the per-minute samples of heap, threads and file
 * descriptors are compared. Prints a report; exits 1 when something is wrong. Not a CI test.
 */
public final class Soak implements SoakChaos.Actions {
    private static final int SESSIONS = 3;
    private static final int LUN_BYTES = 16 << 20;
    private static final Duration REPLACEMENT = Duration.ofSeconds(10);
    private static final String IQN = "iqn.2026-11.org.kiscsi.soak:disk";

    private final Path lunDir;
    private volatile Tgtd tgtd;
    private final List<FaultProxy> proxies = new ArrayList<>();
    private final IscsiEngine engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.soak:initiator").build();
    private volatile TcpTransport tcp = new TcpTransport();
    private final List<TcpTransport> replaced = new CopyOnWriteArrayList<>();
    private final List<Tgtd> killed = new CopyOnWriteArrayList<>();
    private final Map<Long, Long> downSince = new ConcurrentHashMap<>();
    private final List<long[]> downWindows = new CopyOnWriteArrayList<>(); // sid, from, to
    private final List<String> samples = new CopyOnWriteArrayList<>();
    private final List<long[]> sampleValues = new CopyOnWriteArrayList<>();

    private Soak(Path lunDir) {
        this.lunDir = lunDir;
    }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        Path lunDir = Files.createTempDirectory(Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of("/tmp"), "kiscsi-soak-");
        int code;
        try {
            code = new Soak(lunDir).run(minutes);
        } finally {
            try (var files = Files.list(lunDir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(lunDir);
        }
        System.exit(code);
    }

    private int run(double minutes) throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        tgtd = Tgtd.start(Loopback.IPV4, 0, lunDir);
        createTargets(tgtd);
        engine.addTransport(tcp);
        engine.addListener(new SessionListener() {
            @Override
            public void stateChanged(SessionInfo s, SessionState previous) {
                long now = System.nanoTime();
                if (s.state() != SessionState.LOGGED_IN) {
                    downSince.putIfAbsent(s.sid(), now);
                } else {
                    Long from = downSince.remove(s.sid());
                    if (from != null) {
                        downWindows.add(new long[] {s.sid(), from, now});
                    }
                }
            }
        });
        List<SoakWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            FaultProxy p = FaultProxy.start(tgtd.portal());
            p.recordPdus(false);
            proxies.add(p);
            NodeRecord r = EngineFixture.record(IQN + (i + 1), p.portal()).with(NodeKeys.LOGIN_TIMEOUT, "5")
                    .with(NodeKeys.NOOP_OUT_INTERVAL, "2").with(NodeKeys.NOOP_OUT_TIMEOUT, "3")
                    .with(NodeKeys.REPLACEMENT_TIMEOUT, Long.toString(REPLACEMENT.toSeconds()))
                    .with(NodeKeys.SCSI_CMD_TIMEOUT, "30");
            SessionInfo s = engine.login(r).toCompletableFuture().get(30, TimeUnit.SECONDS);
            SoakWorker w = new SoakWorker("session " + s.sid(), engine.executor(s.sid()),
                    new StampedLun(i + 1, LUN_BYTES / StampedLun.BLOCK), 8, 1000 + i, TimeUnit.SECONDS.toNanos(120));
            workers.add(w);
            Thread t = new Thread(w, "soak-worker-" + s.sid());
            threads.add(t);
            t.start();
        }
        SoakChaos chaos = new SoakChaos(proxies, this, 42, end, REPLACEMENT);
        Thread chaosThread = new Thread(chaos, "soak-chaos");
        chaosThread.start();
        sample(start);
        long nextSample = start + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (System.nanoTime() >= nextSample) {
                sample(start);
                nextSample += TimeUnit.MINUTES.toNanos(1);
            }
        }
        chaos.stop();
        chaosThread.join(30_000);
        boolean allBack = awaitAllLoggedIn(Duration.ofSeconds(60));
        workers.forEach(SoakWorker::stop);
        for (Thread t : threads) {
            t.join(180_000);
        }
        sample(start);
        List<String> verifyErrors = new ArrayList<>();
        for (SoakWorker w : workers) {
            try {
                w.verifyAll(60);
            } catch (Exception e) {
                verifyErrors.add(String.valueOf(e));
            }
        }
        for (SessionInfo s : engine.sessions()) {
            engine.logout(s.sid()).toCompletableFuture().exceptionally(e -> null).get(30, TimeUnit.SECONDS);
        }
        int tasksLeft = engine.tasksHeld();
        long now = System.nanoTime();
        downSince.forEach((sid, from) -> downWindows.add(new long[] {sid, from, now})); // recoveries never finished
        engine.close();
        tcp.close();
        proxies.forEach(FaultProxy::close);
        tgtd.close();
        killed.forEach(Tgtd::close);
        return new SoakReport(minutes, workers, chaos, downWindows, REPLACEMENT, samples, sampleValues, verifyErrors, allBack,
                tasksLeft, System.nanoTime() - start).print();
    }

    /** The targets, LUN files in the soak's directory: a tgtd started again takes them over with their data. */
    private void createTargets(Tgtd t) {
        for (int i = 1; i <= SESSIONS; i++) {
            TgtTarget target = t.createTarget(i, IQN + i);
            target.addLun(1, LunBacking.file(LUN_BYTES).inDirectory(lunDir));
            target.allowAll();
        }
    }

    private boolean awaitAllLoggedIn(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (engine.sessions().stream().allMatch(s -> s.state() == SessionState.LOGGED_IN)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Heap after a collection, live threads, descriptors (jars left out), tasks the engine holds. */
    private void sample(long start) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
        long fds = LeakCounts.fileDescriptors();
        long tasks = engine.tasksHeld();
        long minute = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        sampleValues.add(new long[] {minute, heap, threads, fds, tasks});
        String line = String.format("%5d s  heap %6.1f MiB  threads %3d  fds %4d  tasks held %3d", minute, heap / 1048576.0, threads, fds, tasks);
        samples.add(line);
        System.out.println("soak: sample " + line);
    }

    @Override
    public void restartTgtd() throws Exception {
        Tgtd old = tgtd;
        int port = old.port();
        old.kill();
        for (FaultProxy p : proxies) {
            p.cutAll();
        }
        Tgtd again = Tgtd.start(Loopback.IPV4, port, lunDir);
        createTargets(again);
        tgtd = again;
        killed.add(old); // closed at the end: closing removes the LUN files the new tgtd took over
    }

    @Override
    public void replaceTransport() {
        TcpTransport old = tcp;
        engine.removeTransport(old); // as when the bundle stops: sessions recover
        old.close();
        TcpTransport next = new TcpTransport();
        tcp = next;
        engine.addTransport(next); // as when the updated bundle starts: sessions log in again
        replaced.add(old);
    }
}

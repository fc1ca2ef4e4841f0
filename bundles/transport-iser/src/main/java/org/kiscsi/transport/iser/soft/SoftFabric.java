package org.kiscsi.transport.iser.soft;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.transport.iser.verbs.Verbs;

/**
 * A network of software RDMA devices in this JVM. One thread moves every message, so queue pairs
 * see RC's ordering; callers' posts only queue work for it.
 */
public final class SoftFabric implements AutoCloseable {
    /** How long a receiver-not-ready Send waits before it is tried again (RNR timer), by default. */
    public static final java.time.Duration RNR_TIMER = java.time.Duration.ofMillis(2);
    final ScheduledExecutorService wire;
    final long rnrTimerNanos;
    final Map<InetSocketAddress, SoftListener> listeners = new ConcurrentHashMap<>();
    final List<SoftTap> taps = new CopyOnWriteArrayList<>();
    private final AtomicInteger keys = new AtomicInteger(0x1000);
    private final AtomicInteger qpNumbers = new AtomicInteger(0x11);
    private final AtomicInteger pdNumbers = new AtomicInteger(1);
    /** Every valid registration on the fabric, by STag (keys are never reused). */
    private final Map<Integer, SoftMr> registrations = new ConcurrentHashMap<>();
    /** Every bound window on the fabric, by its rkey now. */
    private final Map<Integer, SoftMw> windows = new ConcurrentHashMap<>();
    /** Window indexes: the rkey's top bit set, so a window's rkey never equals a region's key. */
    private final AtomicInteger windowIndexes = new AtomicInteger(0x8000_0000 | 0x100);
    private final Map<String, AtomicLong> windowsAllocated = new ConcurrentHashMap<>();
    private final java.util.Set<String> noWindows = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ports = new AtomicInteger(40000);
    private final AtomicLong addresses = new AtomicLong(0x7F00_0000_0000L);

    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> registrationsMade = new java.util.concurrent.ConcurrentHashMap<>();

    public SoftFabric() {
        this(RNR_TIMER);
    }

    /** A fabric whose queue pairs retry a receiver-not-ready Send after {@code rnrTimer}. */
    public SoftFabric(java.time.Duration rnrTimer) {
        rnrTimerNanos = rnrTimer.toNanos();
        wire = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiscsi-soft-rdma");
            t.setDaemon(true);
            return t;
        });
    }

    /** A verbs provider whose device is {@code deviceName} with IP address {@code address} on this fabric. */
    public Verbs verbs(String deviceName, InetAddress address) {
        return new SoftVerbs(this, deviceName, address);
    }

    public void addTap(SoftTap tap) {
        taps.add(tap);
    }

    public void removeTap(SoftTap tap) {
        taps.remove(tap);
    }

    /** Runs {@code r} on the fabric's thread once every message queued before has moved (for tests). */
    public void drain() throws InterruptedException {
        try {
            wire.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the soft RDMA fabric did not drain within 10 s", e);
        }
    }

    /** Memory registrations made so far on the devices named {@code deviceName} (each ibv_reg_mr is a system call on hardware). */
    public long registrationsMade(String deviceName) {
        java.util.concurrent.atomic.AtomicLong n = registrationsMade.get(deviceName);
        return n == null ? 0 : n.get();
    }

    void countRegistration(String deviceName) {
        registrationsMade.computeIfAbsent(deviceName, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }

    /** Memory registrations valid now on the devices named {@code deviceName}, all their protection domains together. */
    public int registrations(String deviceName) {
        return (int) registrations.values().stream().filter(mr -> mr.pd().device.equals(deviceName)).count();
    }

    /**
     * Valid registrations on the devices named {@code deviceName}, per protection domain (numbered in
     * the order they were allocated); domains holding none are left out. An iSER connection has a
     * domain of its own, so after a connection ended only the live ones' domains may appear.
     */
    public java.util.SortedMap<Integer, Integer> registrationsByDomain(String deviceName) {
        java.util.SortedMap<Integer, Integer> out = new java.util.TreeMap<>();
        registrations.values().stream().filter(mr -> mr.pd().device.equals(deviceName)).forEach(mr -> out.merge(mr.pd().number, 1,
                Integer::sum));
        return out;
    }

    /**
     * Whether {@code stag} grants access now: a valid registration (not deregistered, not
     * invalidated), or a bound memory window's rkey (not invalidated, not deallocated).
     */
    public boolean registered(int stag) {
        SoftMr mr = registrations.get(stag);
        if (mr != null && mr.valid()) {
            return true;
        }
        SoftMw w = windows.get(stag);
        return w != null && w.valid() && w.rkey() == stag;
    }

    /**
     * Makes the devices named {@code deviceName} a device without memory windows: from now on their
     * protection domains refuse {@code allocateWindow} as {@code UNSUPPORTED}, as ibv_alloc_mw does
     * with EOPNOTSUPP on such hardware.
     */
    public void withoutMemoryWindows(String deviceName) {
        noWindows.add(deviceName);
    }

    boolean hasMemoryWindows(String deviceName) {
        return !noWindows.contains(deviceName);
    }

    /** Memory windows allocated so far on the devices named {@code deviceName} (ibv_alloc_mw, a system call on hardware). */
    public long windowsAllocated(String deviceName) {
        AtomicLong n = windowsAllocated.get(deviceName);
        return n == null ? 0 : n.get();
    }

    /** Memory windows bound now (their rkeys valid) on the devices named {@code deviceName}. */
    public int windowsBound(String deviceName) {
        return (int) windows.values().stream().filter(w -> w.valid() && w.pd().device.equals(deviceName)).count();
    }

    void countWindow(String deviceName) {
        windowsAllocated.computeIfAbsent(deviceName, k -> new AtomicLong()).incrementAndGet();
    }

    int nextWindowIndex() {
        return windowIndexes.getAndAdd(0x100);
    }

    void trackWindow(SoftMw w, int rkey) {
        windows.put(rkey, w);
    }

    void untrackWindow(int rkey) {
        windows.remove(rkey);
    }

    void track(SoftMr mr) {
        registrations.put(mr.rkey(), mr);
    }

    void untrack(SoftMr mr) {
        registrations.remove(mr.rkey(), mr);
    }

    int nextPdNumber() {
        return pdNumbers.getAndIncrement();
    }

    /**
     * Holds the fabric's thread until the returned handle is closed (at most 30 s): nothing moves
     * meanwhile, and what was posted or disconnected happens once it is closed (for tests of what a
     * side does before the network acts).
     */
    public AutoCloseable stall() throws InterruptedException {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        wire.execute(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!held.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the soft RDMA fabric's thread was not free within 10 s");
        }
        return release::countDown;
    }

    int nextKey() {
        return keys.getAndAdd(0x100 + 3);
    }

    int nextQpNumber() {
        return qpNumbers.getAndIncrement();
    }

    int nextPort() {
        return ports.getAndIncrement();
    }

    /** Page-aligned virtual addresses, never reused, so a stale STag/VA never lands in new memory. */
    long nextAddress(int length) {
        long span = ((long) Math.max(length, 1) + 0xFFF) & ~0xFFFL;
        return addresses.getAndAdd(span + 0x1000);
    }

    void execute(Runnable r) {
        if (!wire.isShutdown()) {
            wire.execute(r);
        }
    }

    @Override
    public void close() {
        wire.shutdownNow();
    }

    private record SoftVerbs(SoftFabric fabric, String name, InetAddress address) implements Verbs {
        @Override
        public org.kiscsi.transport.iser.verbs.RdmaDevice open() {
            return new SoftDevice(fabric, name, address);
        }
    }
}

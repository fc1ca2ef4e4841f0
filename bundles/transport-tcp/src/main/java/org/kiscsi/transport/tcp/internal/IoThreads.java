package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a transport owns: a pool for MINA's connector and processors (and name lookups), and
 * one timer thread for connect timeouts. Daemon threads, so a forgotten transport does not keep a
 * JVM alive; {@link #shutdown} ends them.
 */
final class IoThreads implements ThreadFactory {
    private static final AtomicInteger TRANSPORTS = new AtomicInteger();
    private static final ThreadLocal<IoThreads> OWNER = new ThreadLocal<>();

    private final String prefix = "kiscsi-tcp-" + TRANSPORTS.incrementAndGet() + "-";
    private final AtomicInteger threads = new AtomicInteger();
    final ExecutorService pool = Executors.newCachedThreadPool(this);
    final ScheduledExecutorService timer;

    IoThreads() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, this);
        t.setRemoveOnCancelPolicy(true);
        timer = t;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(() -> {
            OWNER.set(this);
            r.run();
        }, prefix + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** Whether the calling thread is one of these (it must not wait for them to end). */
    boolean isCurrent() {
        return OWNER.get() == this;
    }

    String prefix() {
        return prefix;
    }

    void shutdown(long timeoutMillis) throws InterruptedException {
        timer.shutdownNow();
        pool.shutdown();
        pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}

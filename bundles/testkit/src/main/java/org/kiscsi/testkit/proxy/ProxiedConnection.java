package org.kiscsi.testkit.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.testkit.proxy.FaultProxy.Direction;

/** One initiator connection and the proxy's connection to the target for it, with a pump each way. */
final class ProxiedConnection {
    private static final int READ_BUFFER = 64 * 1024;

    private final FaultProxy proxy;
    private final int index;
    private final Socket initiator;
    private final Socket target;
    private final DigestNegotiation digests = new DigestNegotiation();
    private final Thread toTarget;
    private final Thread toInitiator;
    private final AtomicInteger pumpsRunning = new AtomicInteger(2);
    private volatile boolean closed;

    ProxiedConnection(FaultProxy proxy, int index, Socket initiator, Socket target, String threadPrefix) throws IOException {
        this.proxy = proxy;
        this.index = index;
        this.initiator = initiator;
        this.target = target;
        this.toTarget = pumpThread(Direction.TO_TARGET, initiator, target, threadPrefix + "-c" + index + "-to-target");
        this.toInitiator = pumpThread(Direction.TO_INITIATOR, target, initiator, threadPrefix + "-c" + index + "-to-initiator");
    }

    private Thread pumpThread(Direction d, Socket from, Socket to, String name) throws IOException {
        Pump pump = new Pump(proxy, this, d, new BufferedInputStream(from.getInputStream(), READ_BUFFER), to.getOutputStream());
        Thread t = new Thread(pump, name);
        t.setDaemon(true);
        return t;
    }

    void start() {
        toTarget.start();
        toInitiator.start();
    }

    int index() {
        return index;
    }

    DigestNegotiation digests() {
        return digests;
    }

    boolean closed() {
        return closed;
    }

    /** Closes both sockets with a reset (SO_LINGER 0), as a crash or a cable pull looks to the peers. */
    void abort() {
        closed = true;
        abort(initiator);
        abort(target);
    }

    static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: closing below is all that is left
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do on a socket being thrown away
        }
    }

    /**
     * A pump stopped. At a clean end of its source the other side gets the end of stream too (half
     * close); after a failure both sides are reset. Once both pumps stopped the pair is gone.
     */
    void pumpEnded(Direction d, boolean sourceEndedCleanly) {
        if (sourceEndedCleanly && !closed) {
            try {
                (d == Direction.TO_TARGET ? target : initiator).shutdownOutput();
            } catch (IOException e) {
                abort();
            }
        } else {
            abort();
        }
        if (pumpsRunning.decrementAndGet() == 0) {
            closed = true;
            closeQuietly(initiator);
            closeQuietly(target);
            proxy.ended(this);
        }
    }

    /** Waits for both pumps until {@code deadline} ({@link System#nanoTime()}). */
    void join(long deadline) throws InterruptedException {
        for (Thread t : new Thread[] {toTarget, toInitiator}) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left > 0 && t != Thread.currentThread()) {
                t.join(left);
            }
        }
    }
}

package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.kiscsi.transport.tcp.TcpOptions;

/**
 * MINA's NIO processor without the empty read that ends each of its read loops. MINA reads a
 * readable socket until a read returns 0; a read that came back shorter than the room it had has
 * already emptied the socket, so the loop's next read is answered here without a system call. Bytes
 * that arrive in between are not lost: the selector reports the socket again on its next pass.
 * And while a large data segment is under way, its bytes are read straight into their destination
 * ({@link TcpConnection#readStraight}) instead of into MINA's buffer and then copied; when such
 * segments follow each other, MINA reads only up to the next header ({@link TcpConnection#readCap}).
 * While a connection it just read from awaits many replies, the thread pauses briefly before it
 * looks at its sockets again (read coalescing); while it awaits one or two, the thread polls before
 * it sleeps (busy polling); see {@link #select}.
 * Public only because MINA's processor pool creates its processors by reflection.
 */
public final class ReadLoopProcessor extends NioProcessor {
    private final ShortReads shortReads = new ShortReads();
    /** Read on every pass: a changed configuration applies at once. */
    private final Supplier<TcpOptions> options;
    /** Someone asked the selector to wake up (new session, writes to flush): a busy poll must not swallow it. */
    private volatile boolean wakeupAsked;
    /** This processor's thread while it pauses to coalesce reads: a wake-up asked for unparks it. */
    private volatile Thread pausing;
    /** Of the connections read since the last select, the one awaiting most replies then (this thread only). */
    private TcpConnection busiest;

    /** MINA creates processors with just an executor: this one also carries the polling settings. */
    record Threads(Executor executor, Supplier<TcpOptions> options) implements Executor {
        @Override
        public void execute(Runnable command) {
            executor.execute(command);
        }
    }

    public ReadLoopProcessor(Executor executor) {
        super(executor);
        Threads t = executor instanceof Threads x ? x
                : new Threads(executor, new LiveOptions(TcpOptions.DEFAULTS.withBusyPollNanos(0).withReadCoalescing(0, Integer.MAX_VALUE)));
        this.options = t.options();
    }

    long busyPollNanos() {
        return options.get().busyPollNanos();
    }

    @Override
    protected void wakeup() {
        wakeupAsked = true;
        Thread t = pausing;
        if (t != null) {
            LockSupport.unpark(t);
        }
        super.wakeup();
    }

    /** Whether the thread pauses to coalesce reads while {@code due} replies are awaited. */
    boolean pausesFor(int due) {
        return pausesFor(options.get(), due);
    }

    private static boolean pausesFor(TcpOptions o, int due) {
        return o.readCoalesceNanos() > 0 && due >= o.readCoalesceMinReplies();
    }

    /**
     * Whether the thread busy-polls while {@code due} replies are awaited and its recent passes moved
     * {@code recentBytes} ({@link TcpConnection#recentBytes}): polling pays only for small exchanges
     * at low queue depth, where a reply is due and would otherwise wake a sleeping thread. Not when
     * idle, not while more replies are due ({@link #POLL_MAX_DUE}), and not while large data moves: a
     * transfer's own time dwarfs a wake-up there, and the CPU is better left to the peer.
     */
    boolean pollsFor(int due, long recentBytes) {
        return pollsFor(options.get(), due, recentBytes);
    }

    private static boolean pollsFor(TcpOptions o, int due, long recentBytes) {
        return o.busyPollNanos() > 0 && due > 0 && due <= POLL_MAX_DUE && due < o.readCoalesceMinReplies()
                && recentBytes <= POLL_MAX_RECENT_BYTES;
    }

    /**
     * The most replies due for the busy poll. With one or two due the target mostly waits for the
     * initiator and a reply is a round trip away; with more, replies come so often that the thread
     * seldom sleeps anyway, and polling only takes CPU from the target (measured at queue depth 4
     * and 8 against tgtd on two cores: no gain, twice the CPU per I/O).
     */
    static final int POLL_MAX_DUE = 2;

    /** The most recent passes may have moved for the busy poll: 8 KiB I/Os at queue depth 1 poll, 16 KiB ones not. */
    static final long POLL_MAX_RECENT_BYTES = 24 * 1024;

    /**
     * First the read-coalescing pause ({@link #pausesFor}). Then, when the connection read last has
     * one or two replies of small exchanges due ({@link #pollsFor}), polls the sockets without
     * sleeping for up to {@code busyPollNanos} before MINA's sleeping select: a reply that comes
     * within that time is read without the wake-up of a sleeping thread. A wake-up asked for
     * meanwhile ends the poll at once (a poll may have used up the selector's own wake-up, so the
     * poll returns instead of sleeping).
     */
    @Override
    protected int select(long timeout) throws Exception {
        TcpConnection c = busiest;
        busiest = null;
        int due = c != null && c.isOpen() ? c.repliesAwaited() : 0;
        TcpOptions o = options.get();
        if (pausesFor(o, due)) {
            pause(o.readCoalesceNanos());
        }
        if (!pollsFor(o, due, c == null ? 0 : c.recentBytes())) {
            // a wake-up asked for from here on is pending in the selector: the select returns at once
            wakeupAsked = false;
            return super.select(timeout);
        }
        long end = System.nanoTime() + o.busyPollNanos();
        selectorLock.readLock().lock();
        try {
            while (true) {
                if (wakeupAsked) {
                    // a select also drops the keys of closed channels: MINA waits for that before it ends
                    wakeupAsked = false;
                    return selector.selectNow();
                }
                // checked after the flag: a wake-up asked for from here on is still pending in the selector
                if (System.nanoTime() - end >= 0) {
                    break;
                }
                int n = selector.selectNow();
                if (n > 0) {
                    return n;
                }
                Thread.onSpinWait();
            }
        } finally {
            selectorLock.readLock().unlock();
        }
        return super.select(timeout);
    }

    /**
     * Read coalescing: the connection just read awaits at least {@code coalesceMinReplies} replies,
     * so the target has that much work queued and the replies it sends during a short pause are
     * then read, and answered, in one go instead of one wake-up each (at queue depth 32 about one
     * wake-up per reply otherwise). Ends early when a wake-up is asked for.
     */
    private void pause(long coalesceNanos) {
        long end = System.nanoTime() + coalesceNanos;
        pausing = Thread.currentThread();
        try {
            long left;
            while (!wakeupAsked && (left = end - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
            }
        } finally {
            pausing = null;
        }
    }

    @Override
    protected int read(NioSession session, IoBuffer buf) throws Exception {
        if (shortReads.drained(session)) {
            return 0;
        }
        TcpConnection c = connection(session);
        if (c != null && (busiest == null || c.repliesAwaited() > busiest.repliesAwaited())) {
            busiest = c;
        }
        if (c != null && c.readStraight()) {
            return 0; // the bytes went straight into a data segment's destination, and the socket is empty
        }
        int room = buf.remaining();
        int cap = c == null ? 0 : c.readCap();
        if (cap > 0 && cap < room) {
            // only up to the next header: the data segment after it is then read straight to its place
            int limit = buf.limit();
            buf.limit(buf.position() + cap);
            int n;
            try {
                n = super.read(session, buf);
            } finally {
                buf.limit(limit);
            }
            shortReads.read(session, Integer.MAX_VALUE, n); // the loop stops here either way
            return n;
        }
        int n = super.read(session, buf);
        shortReads.read(session, room, n);
        return n;
    }

    /** MINA's own writes (its queue) count towards the connection's recent bytes, as direct writes do. */
    @Override
    protected int write(NioSession session, IoBuffer buf, int length) throws java.io.IOException {
        int n = super.write(session, buf, length);
        TcpConnection c = connection(session);
        if (n > 0 && c != null) {
            c.moved(n);
        }
        return n;
    }

    private static TcpConnection connection(NioSession session) {
        return session.getAttribute(SessionHandler.CONNECTION) instanceof TcpConnection c ? c : null;
    }

    /**
     * Which session's socket the last read emptied. Only the processor's own thread calls it, and
     * MINA's read loop calls {@code read} for one session back to back, so one field is enough.
     */
    static final class ShortReads {
        private Object drained;

        /** True (once) when the previous read of {@code session} left its socket empty. */
        boolean drained(Object session) {
            if (drained == session) {
                drained = null;
                return true;
            }
            return false;
        }

        /** Records a read of {@code n} bytes into {@code room} bytes of buffer. */
        void read(Object session, int room, int n) {
            drained = n > 0 && n < room ? session : null;
        }
    }
}

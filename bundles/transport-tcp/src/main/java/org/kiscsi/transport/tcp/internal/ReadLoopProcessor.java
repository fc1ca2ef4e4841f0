package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.Executor;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * MINA's NIO processor without the empty read that ends each of its read loops. MINA reads a
 * readable socket until a read returns 0; a read that came back shorter than the room it had has
 * already emptied the socket, so the loop's next read is answered here without a system call. Bytes
 * that arrive in between are not lost: the selector reports the socket again on its next pass.
 * And while a large data segment is under way, its bytes are read straight into their destination
 * ({@link TcpConnection#readStraight}) instead of into MINA's buffer and then copied; when such
 * segments follow each other, MINA reads only up to the next header ({@link TcpConnection#readCap}).
 * Public only because MINA's processor pool creates its processors by reflection.
 */
public final class ReadLoopProcessor extends NioProcessor {
    private final ShortReads shortReads = new ShortReads();
    private final long busyPollNanos;
    /** Someone asked the selector to wake up (new session, writes to flush): a busy poll must not swallow it. */
    private volatile boolean wakeupAsked;

    /** MINA creates processors with just an executor: this one also carries how long to busy-poll. */
    record Threads(Executor executor, long busyPollNanos) implements Executor {
        @Override
        public void execute(Runnable command) {
            executor.execute(command);
        }
    }

    public ReadLoopProcessor(Executor executor) {
        super(executor);
        this.busyPollNanos = executor instanceof Threads t ? t.busyPollNanos() : 0;
    }

    long busyPollNanos() {
        return busyPollNanos;
    }

    @Override
    protected void wakeup() {
        wakeupAsked = true;
        super.wakeup();
    }

    /**
     * With busy polling on, polls the sockets without sleeping for up to {@code busyPollNanos}
     * before MINA's sleeping select: a reply that comes within that time is read without the
     * wake-up of a sleeping thread. A wake-up asked for meanwhile ends the poll at once (a poll may
     * have used up the selector's own wake-up, so the poll returns instead of sleeping).
     */
    @Override
    protected int select(long timeout) throws Exception {
        if (busyPollNanos == 0) {
            return super.select(timeout);
        }
        long end = System.nanoTime() + busyPollNanos;
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

    @Override
    protected int read(NioSession session, IoBuffer buf) throws Exception {
        if (shortReads.drained(session)) {
            return 0;
        }
        TcpConnection c = session.getAttribute(SessionHandler.CONNECTION) instanceof TcpConnection t ? t : null;
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

package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.kiscsi.transport.tcp.TcpOptions;

/**
 * The processor MINA is given: where MINA calls in for the data path to take the shorter ways of
 * {@link MinaBypass}. Its read of a kiscsi session is {@link TcpConnection#readSocket}: a large data
 * segment under way read straight into its destination, or one read into a pooled direct buffer of
 * the transport's own ({@link ReadBuffers}) instead of MINA's allocator's; MINA is told it read
 * nothing, so its read loop ends after that one system call (a read that came back shorter than its
 * buffer has already emptied the socket; a full one is followed up on the selector's next pass).
 * While a connection it just read from awaits many replies, the thread may pause briefly before it
 * looks at its sockets again (read coalescing); while it awaits one or two, the thread may poll
 * before it sleeps (busy polling); whether and how long, the connection's {@link Moderator} decides
 * ({@link #select}).
 * Public only because MINA's processor pool creates its processors by reflection.
 */
public final class ReadLoopProcessor extends NioProcessor {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReadLoopProcessor.class);
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

    /** The options in force now (for tests: a change applies at once). */
    TcpOptions options() {
        return options.get();
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

    /**
     * First the read-coalescing pause, then, unless one was asked for meanwhile, a busy poll of the
     * sockets before MINA's sleeping select: a reply that comes within the poll is read without the
     * wake-up of a sleeping thread. How long each lasts (0: not at all) the {@link Moderator} of the
     * connection read last decides from what it observed, within the configured bounds. A wake-up
     * asked for meanwhile ends either at once (a poll may have used up the selector's own wake-up,
     * so the poll returns instead of sleeping).
     */
    @Override
    protected int select(long timeout) throws Exception {
        TcpConnection c = busiest;
        busiest = null;
        long pauseNanos = 0;
        long pollNanos = 0;
        if (c != null && c.isOpen()) {
            TcpOptions o = options.get();
            int due = c.repliesAwaited();
            Moderator m = c.moderator();
            if (m.observe(System.nanoTime(), c.takeDelivered(), due, o.readCoalesceMinReplies(), Moderator.THREAD_CPU)
                    && LOG.isDebugEnabled()) {
                LOG.debug("moderation of the connection to {}: pause {} us at {} replies due, {} replies/s, {}; {}", c.remoteAddress(),
                        m.pauseNanos(o, due) / 1000, due, Math.round(m.keptRate()), m.costs(), m.pollDecision());
            }
            pauseNanos = m.pauseNanos(o, due);
            pollNanos = m.pollNanos(o, due, c.recentBytes());
        }
        if (pauseNanos > 0) {
            pause(pauseNanos);
        }
        if (pollNanos == 0) {
            // a wake-up asked for from here on is pending in the selector: the select returns at once
            wakeupAsked = false;
            return super.select(timeout);
        }
        long end = System.nanoTime() + pollNanos;
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
     * Read coalescing: the connection just read awaits many replies, so the target may have that
     * much work queued, and the replies it sends during a short pause are then read, and answered,
     * in one go instead of one wake-up each. Bounded by the moderator (at most
     * {@link TcpOptions#MAX_READ_COALESCE_NANOS}); ends early when a wake-up is asked for.
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

    /**
     * A kiscsi session's read, done by its connection ({@link TcpConnection#readSocket}): MINA's
     * buffer {@code buf} stays unused, and MINA hears of 0 bytes (or -1 at the end of the stream).
     */
    @Override
    protected int read(NioSession session, IoBuffer buf) throws Exception {
        TcpConnection c = connection(session);
        if (c == null) {
            return super.read(session, buf);
        }
        if (busiest == null || c.repliesAwaited() > busiest.repliesAwaited()) {
            busiest = c;
        }
        return c.readSocket();
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
}

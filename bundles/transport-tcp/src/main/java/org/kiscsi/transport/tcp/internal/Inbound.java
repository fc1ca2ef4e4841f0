package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.tcp.FramingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive side of one connection: queues what was read from the socket, frames it into PDUs
 * and hands them to the listener. Whichever thread signals work (the I/O thread, a caller resuming receive or
 * closing) drains the queue unless another thread already is, so listener calls never overlap and
 * nobody ever waits. Framing happens only just before delivery, so suspending receive or changing
 * the link settings from inside {@code received()} takes effect exactly at the next PDU.
 */
final class Inbound {
    /** Read pauses (on top of any suspendReceive) while this many received bytes wait here. */
    static final int HIGH_WATER = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);
    private static final Object LOCAL_CLOSE = new Object();

    /** Data segments at least this long are read from the socket straight into their destination. */
    static final int DIRECT_READ_MIN = 32 * 1024;

    /** What the receive side needs from its connection. */
    interface Owner {
        /**
         * Reads from the socket into {@code dst}, without waiting: bytes read, 0 when none are there,
         * -1 at end of stream. Only called on the I/O thread that delivered the last bytes.
         */
        default int readDirect(ByteBuffer dst) throws java.io.IOException {
            return 0;
        }

        /**
         * Reads from the socket into {@code dst} and, once it is full, on into {@code then}, in one
         * system call where the socket allows (a scattering read); counts as {@link #readDirect(ByteBuffer)}.
         */
        default int readDirect(ByteBuffer dst, ByteBuffer then) throws java.io.IOException {
            int n = readDirect(dst);
            if (n <= 0 || dst.hasRemaining()) {
                return n;
            }
            int m = readDirect(then);
            return m > 0 ? n + m : n;
        }

        /** Reading from the socket should stop (true) or go on (false). */
        void readPaused(boolean paused);

        /** The stream is unusable: close the socket. */
        void fatal();

        /** {@code closed()} was delivered (or skipped for an abandoned connection). */
        void closedDelivered();
    }

    private final TransportListener listener;
    private final PduDecoder decoder;
    private final Supplier<LinkSettings> settings;
    private final BufferCount buffers;
    private final Owner owner;
    private final String peer;
    private final ReadBuffers readBuffers;

    private final ArrayDeque<ByteBuffer> input = new ArrayDeque<>(); // guarded by itself
    private long inputBytes; // guarded by input
    private boolean readPaused; // guarded by input
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicReference<Object> stop = new AtomicReference<>(); // LOCAL_CLOSE or the error
    private volatile boolean started;
    private volatile boolean suspended;
    private volatile boolean silent;
    private volatile boolean inputEnded;
    private volatile Throwable inputError;
    private volatile boolean done;
    /** The I/O thread of this connection: the only one that may read the socket. */
    private volatile Thread ioThread;
    /** A large data segment is under way and every byte read is used: the next go straight to it. */
    private volatile boolean straight;
    /** A direct read met the end of the stream or an error: the next read of the socket must see it. */
    private volatile boolean directReadFailed;
    /** How many bytes the next read should take (0: as many as it likes); see {@link #readCap}. */
    private volatile int readCap;
    /** Part of the current PDU's data segment was read directly (draining thread only). */
    private boolean directThisPdu;
    /** Part of the last delivered PDU's data segment was read directly (draining thread only). */
    private boolean streaming;
    /** PDUs delivered since the last {@link #takeDelivered} (a count for moderation: a rare lost update only blurs it). */
    private int delivered;

    Inbound(TransportListener listener, PduDecoder decoder, Supplier<LinkSettings> settings, BufferCount buffers,
            Owner owner, String peer) {
        this(listener, decoder, settings, buffers, owner, peer, new ReadBuffers(false));
    }

    Inbound(TransportListener listener, PduDecoder decoder, Supplier<LinkSettings> settings, BufferCount buffers,
            Owner owner, String peer, ReadBuffers readBuffers) {
        this.readBuffers = readBuffers;
        this.listener = listener;
        this.decoder = decoder;
        this.settings = settings;
        this.buffers = buffers;
        this.owner = owner;
        this.peer = peer;
    }

    /**
     * Bytes read from the socket into a buffer of {@link ReadBuffers}: kept without a copy and
     * given back once every PDU in it was framed.
     */
    void bytes(ByteBuffer b) {
        if (done) {
            readBuffers.give(b);
            return;
        }
        ioThread = Thread.currentThread();
        synchronized (input) {
            input.add(b);
            inputBytes += b.remaining();
        }
        updateReads();
        drain();
    }

    /** Delivery may begin: the connect stage has completed. */
    void start() {
        started = true;
        drain();
    }

    void suspend() {
        suspended = true;
        updateReads();
    }

    void resume() {
        suspended = false;
        drain();
        updateReads();
    }

    /** Local close: what is still queued is dropped and the listener hears {@code closed(null)}. */
    void closeLocally() {
        stop.compareAndSet(null, LOCAL_CLOSE);
        drain();
    }

    /** A connection nobody will use (its connect stage failed): the listener hears nothing. */
    void abandon() {
        silent = true;
        closeLocally();
    }

    /** The socket closed: PDUs already received are still delivered, then {@code closed(cause)}. */
    void inputEnded(Throwable ioError) {
        inputError = ioError;
        inputEnded = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return; // the draining thread will take another pass
        }
        int missed = 1;
        do {
            drainOnce();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        while (!done) {
            Object s = stop.get();
            if (s != null) {
                finish(s == LOCAL_CLOSE ? null : (Throwable) s);
                return;
            }
            if (!started) {
                return;
            }
            ByteBuffer in;
            synchronized (input) {
                in = input.peek();
            }
            if (in == null) {
                if (inputEnded) {
                    finish(endCause());
                } else if (!suspended && !readPaused() && Thread.currentThread() == ioThread && readDirect()) {
                    continue;
                }
                straight = !done && !suspended && !directReadFailed && decoder.directTarget(DIRECT_READ_MIN) != null;
                boolean largeSegmentsFollow = streaming || directThisPdu;
                readCap = !straight && largeSegmentsFollow && !done && !suspended
                        ? decoder.bytesThroughNextHeader(settings.get()) : 0;
                return;
            }
            straight = false;
            readCap = 0;
            if (suspended) {
                return;
            }
            InboundPdu pdu;
            try {
                pdu = decoder.next(in, settings, listener::placementFor);
            } catch (FramingException e) {
                fail(e);
                continue;
            } catch (RuntimeException e) {
                fail(new IscsiException(IscsiError.INTERNAL, "placementFor() threw on PDU #" + decoder.pduNumber()
                        + " from " + peer + ": " + e, e));
                continue;
            }
            if (!in.hasRemaining()) {
                consumed();
            }
            if (pdu != null) {
                deliver(pdu);
            }
        }
    }

    /**
     * With the bytes read all framed and a large data segment still to come, reads the socket straight
     * into the segment's destination (the caller's buffer): a read into a read buffer would cost a
     * second copy of every large Data-In. The same system call reads on past the segment's end up to
     * the end of the next PDU's header (its padding and digest first), into a small read buffer
     * queued as reads are: large reads come as runs of large Data-In PDUs, and when the socket is
     * ahead of the reader, the next header is already there; read on its own it would cost a system
     * call per PDU, and when the socket holds nothing more, asking for it costs nothing. True when
     * there is more to do: bytes past the segment to frame, or a segment the read filled exactly
     * (the socket may hold more); false when nothing was read or the read came back short within
     * the segment, which means the socket is empty: looking again would only cost an empty read.
     */
    private boolean readDirect() {
        ByteBuffer dst = decoder.directTarget(DIRECT_READ_MIN);
        if (dst == null) {
            return false;
        }
        int wanted = dst.remaining();
        int after = decoder.bytesAfterSegment(settings.get());
        ByteBuffer then = readBuffers.take(after);
        int n;
        try {
            n = owner.readDirect(dst, then);
        } catch (java.io.IOException e) {
            readBuffers.give(then);
            inputError = e;
            directReadFailed = true;
            return false; // the next read sees the same error and ends the connection
        }
        if (n <= 0) {
            readBuffers.give(then);
            if (n < 0) {
                directReadFailed = true; // end of stream: the next read notices
            }
            return false;
        }
        directThisPdu = true;
        InboundPdu pdu = decoder.readDirectly(wanted - dst.remaining());
        boolean queued = then.position() > 0;
        if (queued) {
            then.flip();
            synchronized (input) {
                input.add(then); // framed after the delivery below, in stream order
                inputBytes += then.remaining();
            }
        } else {
            readBuffers.give(then);
        }
        if (pdu != null) {
            deliver(pdu);
        }
        // what was queued is framed next; only a header it completes can ask for another read
        return queued || n == wanted;
    }

    /**
     * Called on the I/O thread before it reads the socket: while a large data segment is under
     * way, its bytes go straight into their destination instead of through a read buffer. True when
     * that left the socket empty with the segment still incomplete: no read is needed.
     */
    boolean readStraight() {
        if (!straight || Thread.currentThread() != ioThread) {
            return false;
        }
        drain();
        return straight;
    }

    /**
     * While large data segments follow each other (the last PDU's was read directly), the next read
     * should take only up to the end of the next header: the data segment after it then goes straight to
     * its destination instead of partly into a read buffer. 0 for no limit.
     */
    int readCap() {
        return readCap;
    }

    /** Whether {@link #readStraight} has anything to do (a cheap check for every read). */
    boolean straightPending() {
        return straight;
    }

    /** Whether the calling thread is the I/O thread for this connection (the last to deliver bytes). */
    boolean onIoThread() {
        return Thread.currentThread() == ioThread;
    }

    private boolean readPaused() {
        synchronized (input) {
            return readPaused;
        }
    }

    private void consumed() {
        boolean resumeReads;
        synchronized (input) {
            ByteBuffer used = input.remove();
            inputBytes -= used.limit();
            readBuffers.give(used);
            resumeReads = readPaused && inputBytes < HIGH_WATER / 2;
        }
        if (resumeReads) {
            updateReads();
        }
    }

    /** PDUs delivered since the last call. */
    int takeDelivered() {
        int n = delivered;
        delivered = 0;
        return n;
    }

    private void deliver(InboundPdu pdu) {
        delivered++;
        streaming = directThisPdu;
        directThisPdu = false;
        pdu.handOver(buffers);
        if (!pdu.dataDigestOk()) {
            LOG.debug("data digest mismatch in PDU #{} from {}: delivered for the engine to reject", decoder.pduNumber(), peer);
        }
        try {
            listener.received(pdu);
        } catch (RuntimeException e) {
            fail(new IscsiException(IscsiError.INTERNAL, "listener threw on PDU #" + decoder.pduNumber() + " from " + peer + ": " + e, e));
        }
    }

    private void fail(Throwable cause) {
        stop.compareAndSet(null, cause);
        owner.fatal();
    }

    private Throwable endCause() {
        Throwable io = inputError;
        if (decoder.inPdu()) {
            return decoder.truncated(io == null ? "connection closed by peer" : "connection failed (" + io + ")", io);
        }
        if (io != null) {
            return new IscsiException(IscsiError.TRANS, "connection to " + peer + " failed: " + io.getMessage(), io);
        }
        return new IscsiException(IscsiError.TRANS, "connection closed by " + peer);
    }

    private void finish(Throwable cause) {
        done = true;
        synchronized (input) {
            input.forEach(readBuffers::give);
            input.clear();
            inputBytes = 0;
        }
        if (!silent) {
            try {
                listener.closed(cause);
            } catch (RuntimeException e) {
                LOG.warn("listener of the connection to {} threw from closed()", peer, e);
            }
        }
        owner.closedDelivered();
    }

    /** Reads stop while receive is suspended or too much is queued here. */
    private void updateReads() {
        synchronized (input) {
            boolean pause = suspended || inputBytes >= HIGH_WATER;
            if (pause != readPaused) {
                readPaused = pause;
                owner.readPaused(pause);
            }
        }
    }
}

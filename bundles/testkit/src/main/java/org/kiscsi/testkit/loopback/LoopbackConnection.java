package org.kiscsi.testkit.loopback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.PduStream;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;

/**
 * The initiator's end of a {@link LoopbackLink}. PDUs are framed on the caller's thread with the
 * settings of that moment (digests, padding) and written to the link by one writer thread, in
 * order; one reader thread frames what comes back with {@link PduStream} and makes every listener
 * call, so calls never overlap and {@code closed()} comes last, once.
 */
final class LoopbackConnection implements TransportConnection {
    /** Before {@link #configure}: no digests, any length the 24-bit field can carry (as TCP). */
    private static final LinkSettings UNCONFIGURED = new LinkSettings(false, false, Framing.MAX_DATA_SEGMENT_LENGTH);
    /** Marks a close asked for by this side: the listener hears {@code closed(null)}. */
    private static final Throwable LOCAL_CLOSE = new Throwable("closed locally");
    private static final long RECHECK_MS = 100;

    private final LoopbackLink link;
    private final TransportListener listener;
    private final String local;
    private final String remote;
    private final AtomicLong outstanding = new AtomicLong();
    private final PduStream inbound;
    private final OutputStream out;
    private final InputStream in;
    private final ExecutorService writer;
    private final Thread reader;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicReference<Throwable> stop = new AtomicReference<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final Condition resumed = receiveLock.newCondition();
    private boolean suspended; // guarded by receiveLock
    private volatile LinkSettings settings = UNCONFIGURED;
    private final boolean placement;

    LoopbackConnection(LoopbackLink link, TransportListener listener, boolean placement) {
        this.link = link;
        this.listener = listener;
        this.placement = placement;
        this.local = link.initiatorAddress();
        this.remote = link.portal().hostPort();
        this.in = link.initiatorIn();
        this.out = link.initiatorOut();
        this.inbound = new PduStream(remote);
        inbound.configure(false, false, UNCONFIGURED.maxRecvDataSegmentLength());
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "loopback-send " + local));
        this.reader = daemon(this::receiveLoop, "loopback-receive " + local);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts delivery: called once the connect stage is complete. */
    void start() {
        reader.start();
    }

    // ------------------------------------------------------------------ sending

    @Override
    public PduBuffer allocate(int ahsLength, int dataLength) {
        return HeapPdu.allocate(Framing.BHS_LENGTH + ahsLength, dataLength, outstanding);
    }

    /** A PDU taken for sending with its bytes as they go on the wire. */
    private record Outgoing(PduBuffer pdu, byte[] wire) {
    }

    /**
     * Takes the PDU and frames it for the link as configured now. Null when the connection is closed
     * (the PDU is released); an exception of class {@code malformed} naming the peer when the
     * buffer's lengths disagree with its BHS.
     */
    private Outgoing admit(PduBuffer pdu, IscsiError malformed) {
        Objects.requireNonNull(pdu, "pdu");
        if (pdu instanceof HeapPdu h && h.countedIn(outstanding) && !h.claimForSend()) {
            throw new IscsiException(malformed, "PDU not sent to " + remote + ": buffer was already sent or released");
        }
        if (!open.get()) {
            pdu.release();
            return null;
        }
        String problem = lengthProblem(pdu);
        if (problem != null) {
            pdu.release();
            throw new IscsiException(malformed, "PDU not sent to " + remote + ": " + problem);
        }
        return new Outgoing(pdu, frame(pdu, settings));
    }

    private static String lengthProblem(PduBuffer pdu) {
        ByteBuffer h = pdu.header();
        if (h.limit() < Framing.BHS_LENGTH) {
            return "header of " + h.limit() + " bytes, shorter than a BHS";
        }
        int ahs = Framing.ahsLength(h.duplicate().position(0));
        if (h.limit() != Framing.BHS_LENGTH + ahs) {
            return "TotalAHSLength says " + ahs + " AHS bytes, the header buffer holds " + (h.limit() - Framing.BHS_LENGTH);
        }
        int dsl = Framing.dataSegmentLength(h.duplicate().position(0));
        if (dsl != pdu.data().limit()) {
            return "DataSegmentLength says " + dsl + " bytes, the data buffer holds " + pdu.data().limit();
        }
        return null;
    }

    /** Header, header digest, data, padding, data digest: RFC 7143 section 11.2 with {@link Framing}. */
    static byte[] frame(PduBuffer pdu, LinkSettings s) {
        ByteBuffer h = pdu.header().duplicate().position(0);
        ByteBuffer d = pdu.data().duplicate().position(0);
        int dsl = d.remaining();
        int pad = Framing.padding(dsl);
        boolean dataDigest = s.dataDigest() && dsl > 0;
        ByteBuffer wire = ByteBuffer.allocate(h.remaining() + (s.headerDigest() ? Framing.DIGEST_LENGTH : 0) + dsl + pad
                + (dataDigest ? Framing.DIGEST_LENGTH : 0));
        wire.put(h.duplicate());
        if (s.headerDigest()) {
            Framing.putDigest(wire, Framing.crc32c(h));
        }
        wire.put(d.duplicate());
        wire.position(wire.position() + pad);
        if (dataDigest) {
            Framing.putDigest(wire, Framing.dataDigest(d));
        }
        return wire.array();
    }

    @Override
    public CompletionStage<Void> send(PduBuffer pdu) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Outgoing o;
        try {
            o = admit(pdu, IscsiError.INVAL);
        } catch (IscsiException e) {
            done.completeExceptionally(e);
            return done;
        }
        if (o == null) {
            done.completeExceptionally(new IscsiException(IscsiError.TRANS, "connection to " + remote + " is closed"));
            return done;
        }
        queue(o, done);
        return done;
    }

    /** {@link #send} without a stage: a PDU that cannot go closes the connection, and the listener hears why. */
    @Override
    public void post(PduBuffer pdu) {
        Outgoing o;
        try {
            o = admit(pdu, IscsiError.INTERNAL);
        } catch (IscsiException e) {
            fail(e);
            return;
        }
        if (o != null) {
            queue(o, null);
        }
    }

    private void queue(Outgoing o, CompletableFuture<Void> done) {
        try {
            writer.execute(() -> write(o, done));
        } catch (RejectedExecutionException e) { // closed meanwhile
            o.pdu().release();
            if (done != null) {
                done.completeExceptionally(closedBeforeSent());
            }
        }
    }

    private void write(Outgoing o, CompletableFuture<Void> done) {
        if (!open.get()) {
            o.pdu().release();
            if (done != null) {
                done.completeExceptionally(closedBeforeSent());
            }
            return;
        }
        try {
            out.write(o.wire());
            o.pdu().release();
            if (done != null) {
                done.complete(null);
            }
        } catch (IOException e) {
            o.pdu().release();
            IscsiException failure = new IscsiException(IscsiError.TRANS, "connection to " + remote + " failed: " + e.getMessage(), e);
            if (done != null) {
                done.completeExceptionally(failure);
            }
            fail(failure);
        }
    }

    private IscsiException closedBeforeSent() {
        return new IscsiException(IscsiError.TRANS, "connection to " + remote + " closed before the PDU was sent");
    }

    // ------------------------------------------------------------------ receiving

    private void receiveLoop() {
        Throwable cause;
        try {
            cause = receiveUntilEnd();
        } catch (IscsiException e) { // framing: header digest, segment too long, truncated PDU
            cause = e;
        } catch (IOException e) {
            cause = new IscsiException(IscsiError.TRANS, "connection to " + remote + " failed: " + e.getMessage(), e);
        }
        stop.compareAndSet(null, cause);
        finish();
    }

    /** Delivers PDUs until the link ends or this side stops; returns why it ended. */
    private Throwable receiveUntilEnd() throws IOException {
        while (true) {
            PduStream.Frame f = inbound.read(in);
            if (f == null) {
                return new IscsiException(IscsiError.TRANS, "connection closed by " + remote);
            }
            if (!awaitReceiveAllowed()) {
                return stop.get();
            }
            Throwable problem = deliver(f);
            if (problem != null) {
                return problem;
            }
        }
    }

    /** Waits while receive is suspended; false when the connection stops meanwhile. */
    private boolean awaitReceiveAllowed() {
        receiveLock.lock();
        try {
            while (suspended && stop.get() == null) {
                resumed.await(RECHECK_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.compareAndSet(null, new IscsiException(IscsiError.INTERNAL, "receive thread for " + remote + " interrupted"));
        } finally {
            receiveLock.unlock();
        }
        return stop.get() == null;
    }

    /** Hands one PDU to the listener; the problem that ends the connection, if any. */
    private Throwable deliver(PduStream.Frame f) {
        ByteBuffer header = f.header();
        ByteBuffer data = f.data();
        try {
            if (placement && data.remaining() > 0) {
                data = placed(header, data);
            }
        } catch (RuntimeException e) {
            return new IscsiException(IscsiError.INTERNAL, "placementFor() threw on a PDU from " + remote + ": " + e, e);
        }
        HeapPdu pdu = new HeapPdu(header, data, f.dataDigestOk(), outstanding);
        try {
            listener.received(pdu);
        } catch (RuntimeException e) {
            return new IscsiException(IscsiError.INTERNAL, "listener threw on a PDU from " + remote + ": " + e, e);
        }
        return null;
    }

    /** The data segment in the listener's chosen buffer when it offers one big enough, else where it is. */
    private ByteBuffer placed(ByteBuffer header, ByteBuffer data) {
        ByteBuffer dst = listener.placementFor(header.asReadOnlyBuffer());
        int n = data.remaining();
        if (dst == null || dst.remaining() < n) {
            return data;
        }
        ByteBuffer view = dst.duplicate();
        view.limit(view.position() + n);
        view.duplicate().put(data.duplicate());
        return view.slice();
    }

    private void finish() {
        open.set(false);
        link.close();
        writer.shutdown();
        Throwable cause = stop.get();
        try {
            listener.closed(cause == LOCAL_CLOSE ? null : cause);
        } catch (RuntimeException e) {
            // the connection is gone either way; a listener failing here has nobody to tell
        }
        closeFuture.complete(null);
    }

    /** Stops the connection because of {@code cause}; the reader delivers {@code closed(cause)}. */
    private void fail(Throwable cause) {
        stop.compareAndSet(null, cause);
        shut();
    }

    private void shut() {
        open.set(false);
        link.close();
        receiveLock.lock();
        try {
            resumed.signalAll();
        } finally {
            receiveLock.unlock();
        }
    }

    // ------------------------------------------------------------------ the rest of the SPI

    @Override
    public void configure(LinkSettings s) {
        settings = Objects.requireNonNull(s, "settings");
        inbound.configure(s.headerDigest(), s.dataDigest(), s.maxRecvDataSegmentLength());
    }

    @Override
    public void suspendReceive() {
        receiveLock.lock();
        try {
            suspended = true;
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public void resumeReceive() {
        receiveLock.lock();
        try {
            suspended = false;
            resumed.signalAll();
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public void close() {
        fail(LOCAL_CLOSE);
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture.minimalCompletionStage();
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public String localAddress() {
        return local;
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public long buffersOutstanding() {
        return outstanding.get();
    }
}

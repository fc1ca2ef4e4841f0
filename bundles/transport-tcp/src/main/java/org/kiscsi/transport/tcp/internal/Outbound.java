package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.transport.tcp.TcpOptions;

/**
 * The send side of one connection: allocates PDU buffers, frames PDUs on the caller's thread,
 * bounds what waits for the socket and writes it, through MINA's queue or, on the I/O thread,
 * directly ({@link MinaBypass#write}). Nothing is copied on the way but small data segments.
 *
 * <p>Send queue: at most {@link TcpOptions#maxQueuedSendBytes()} bytes wait for the socket; a send
 * past that fails with {@code AGAIN} and leaves the connection up.
 */
final class Outbound {
    /** A batch's held PDUs are written early past this many (well below the kernel's 1024 iovecs per write)... */
    static final int MAX_HELD_PDUS = 128;
    /** ...or this many bytes, so large writes start while the batch goes on. */
    static final long MAX_HELD_BYTES = 256 * 1024;

    /** What the send side needs from its connection. */
    interface Owner {
        /** Whether the connection still takes PDUs. */
        boolean isOpen();

        /** Whether the calling thread is the connection's I/O thread (the only one that may write the socket itself). */
        boolean onIoThread();

        /** Writing failed, or a posted PDU could not go: the connection ends with {@code cause}. */
        void failed(Throwable cause);
    }

    private final IoSession session;
    private final MinaBypass bypass;
    /** Read where used: a changed send-queue limit applies at once. */
    private final Supplier<TcpOptions> options;
    private final Supplier<LinkSettings> settings;
    private final BufferCount buffers;
    private final FramePool frames = new FramePool();
    private final Owner owner;
    private final String peer;

    /** Posted PDUs not yet written, oldest first (MINA writes a session's buffers in order). */
    private final ConcurrentLinkedQueue<PostedBuffer> posted = new ConcurrentLinkedQueue<>();
    private final Set<PendingSend> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Object sendOrder = new Object();
    /** PDUs posted during a receive batch, written when it ends (guarded by sendOrder). */
    private final List<Outgoing> held = new ArrayList<>();
    private long heldBytes; // guarded by sendOrder
    private long heldFlushes; // guarded by sendOrder
    /** The I/O thread is delivering what it read: posts are held back ({@link #post}). */
    private volatile boolean batching;

    Outbound(IoSession session, MinaBypass bypass, Supplier<TcpOptions> options, Supplier<LinkSettings> settings,
            BufferCount buffers, Owner owner, String peer) {
        this.session = session;
        this.bypass = bypass;
        this.options = options;
        this.settings = settings;
        this.buffers = buffers;
        this.owner = owner;
        this.peer = peer;
    }

    PduBuffer allocate(int ahsLength, int dataLength) {
        return OutboundPdu.allocate(this, buffers, frames, ahsLength, dataLength, settings.get().headerDigest());
    }

    /** Wraps {@code data} without copying: it is written from the caller's memory. */
    PduBuffer allocate(int ahsLength, ByteBuffer data) {
        boolean headerDigest = settings.get().headerDigest();
        if (data.remaining() <= FramePool.largestPooledSegment()) {
            // MINA writes each buffer with a system call of its own (no gathering writes): for a segment
            // this small one copy into a pooled frame costs less than a second write and TCP segment
            OutboundPdu p = OutboundPdu.allocate(this, buffers, frames, ahsLength, data.remaining(), headerDigest);
            p.data().put(0, data, data.position(), data.remaining());
            return p;
        }
        return OutboundPdu.wrapping(this, buffers, frames, ahsLength, data);
    }

    /** A PDU taken for sending: framed for the link, its bytes already counted in the send queue. */
    private record Outgoing(OutboundPdu pdu, List<ByteBuffer> wire, long bytes) {}

    /**
     * What {@link #send} and {@link #post} do before writing: take the PDU, check its lengths against
     * its buffers, frame it and reserve its bytes in the send queue. Null when the connection is
     * closed (the PDU is released); an exception of kind {@code malformed} or AGAIN (queue full),
     * naming the peer, when it cannot go.
     */
    private Outgoing admit(PduBuffer pdu, IscsiError malformed) {
        OutboundPdu out;
        try {
            out = adopt(pdu);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IscsiException(malformed, "PDU not sent to " + peer + ": " + e.getMessage(), e);
        }
        if (!owner.isOpen()) {
            out.release();
            return null;
        }
        String problem = out.lengthProblem();
        if (problem != null) {
            out.release();
            throw new IscsiException(malformed, "PDU not sent to " + peer + ": " + problem);
        }
        List<ByteBuffer> wire = out.wire(settings.get());
        long bytes = 0;
        for (ByteBuffer b : wire) {
            bytes += b.remaining();
        }
        long maxQueuedSendBytes = options.get().maxQueuedSendBytes();
        long before = queuedBytes.getAndAdd(bytes);
        if (before > 0 && before + bytes > maxQueuedSendBytes) {
            queuedBytes.addAndGet(-bytes);
            out.release();
            throw new IscsiException(IscsiError.AGAIN, "send queue to " + peer + " is full: " + before
                    + " bytes queued, limit " + maxQueuedSendBytes + "; PDU of " + bytes + " bytes not sent");
        }
        return new Outgoing(out, wire, bytes);
    }

    private OutboundPdu adopt(PduBuffer pdu) {
        Objects.requireNonNull(pdu, "pdu");
        if (pdu instanceof OutboundPdu o && o.ownedBy(this)) {
            if (!o.claimForSend()) {
                throw new IllegalStateException("PDU buffer was already sent or released");
            }
            return o;
        }
        OutboundPdu copy = OutboundPdu.copyOf(pdu, this, buffers, settings.get().headerDigest());
        copy.claimForSend();
        pdu.release();
        return copy;
    }

    CompletionStage<Void> send(PduBuffer pdu) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Outgoing o;
        try {
            o = admit(pdu, IscsiError.INVAL);
        } catch (IscsiException e) {
            done.completeExceptionally(e);
            return done;
        }
        if (o == null) {
            done.completeExceptionally(new IscsiException(IscsiError.TRANS, "connection to " + peer + " is closed"));
            return done;
        }
        List<ByteBuffer> wire = o.wire();
        PendingSend p = new PendingSend(o.pdu(), o.bytes(), 1, peer, this::sendFinished);
        pending.add(p);
        if (!owner.isOpen()) { // closed meanwhile: stop() may have missed this one
            p.fail(closedBeforeSent());
            return p.done;
        }
        synchronized (sendOrder) { // the parts of one PDU stay together
            flushHeld(); // PDUs posted before this one go first
            int last = wire.size() - 1;
            for (int i = 0; i < last; i++) {
                session.write(MinaBypass.wrap(wire.get(i)));
            }
            // MINA writes a session's buffers in order and closes the session when one fails, which
            // then fails every later write: the last part's outcome is the PDU's
            session.write(MinaBypass.wrap(wire.get(last))).addListener(f -> p.partDone((WriteFuture) f));
        }
        return p.done;
    }

    /**
     * {@link #send} without a completion stage, for the data path: the PDU's last buffer carries it
     * back in {@code messageSent}. A PDU that cannot go (malformed, queue full) fails the
     * connection, which is how the listener hears of it.
     *
     * <p>While the I/O thread delivers what one read brought in, PDUs posted in reply (the next
     * commands of a closed loop, Data-Out for an R2T) are held back and written together in one
     * gathering write when that batch ends ({@link #flushHeld}): one system call and one TCP segment
     * for many PDUs instead of one each.
     */
    void post(PduBuffer pdu) {
        Outgoing o;
        try {
            o = admit(pdu, IscsiError.INTERNAL);
        } catch (IscsiException e) {
            owner.failed(e);
            return;
        }
        if (o == null) {
            return;
        }
        synchronized (sendOrder) {
            if (!held.isEmpty() || (batching && owner.onIoThread() && bypass.writeQueueEmpty())) {
                // later posts (from any thread) join the held ones so that order holds
                held.add(o);
                heldBytes += o.bytes();
                if (held.size() >= MAX_HELD_PDUS || heldBytes >= MAX_HELD_BYTES) {
                    flushHeld();
                }
                return;
            }
            if (owner.onIoThread() && bypass.writeQueueEmpty() && writeDirectly(o.wire().toArray(new ByteBuffer[0]))) {
                written(o);
                return;
            }
            queueInMina(o);
        }
    }

    /** A receive batch begins: posts from the I/O thread are held until {@link #endBatch}. */
    void beginBatch() {
        batching = true;
    }

    /** The batch ended: what it posted goes out together. */
    void endBatch() {
        batching = false;
        flushHeld();
    }

    /** Written to the socket without MINA: nothing will call it back, so it is finished here. */
    private void written(Outgoing o) {
        queuedBytes.addAndGet(-o.bytes());
        o.pdu().release();
    }

    /** Hands a PDU (or what the socket did not take of it) to MINA's write queue. Caller holds {@code sendOrder}. */
    private void queueInMina(Outgoing o) {
        List<ByteBuffer> wire = o.wire();
        int last = wire.size() - 1;
        PostedBuffer tail = new PostedBuffer(MinaBypass.wrap(wire.get(last)), o.pdu(), o.bytes());
        posted.offer(tail);
        if (!owner.isOpen()) { // closed meanwhile: stop() may have missed this one
            failPosted();
            return;
        }
        for (int i = 0; i < last; i++) {
            if (wire.get(i).hasRemaining()) {
                session.write(MinaBypass.wrap(wire.get(i)));
            }
        }
        session.write(tail);
    }

    /**
     * Writes the PDUs held back during a batch: in one gathering write when MINA has nothing queued
     * (it cannot have: every post joins the held ones meanwhile), what the socket did not take then
     * through MINA's queue, in order.
     */
    void flushHeld() {
        synchronized (sendOrder) {
            if (held.isEmpty()) {
                return;
            }
            // taken out first: a failing write closes the connection, which releases what is still held
            Outgoing[] batch = held.toArray(new Outgoing[0]);
            held.clear();
            heldBytes = 0;
            heldFlushes++;
            int parts = 0;
            for (Outgoing o : batch) {
                parts += o.wire().size();
            }
            ByteBuffer[] all = new ByteBuffer[parts];
            int i = 0;
            for (Outgoing o : batch) {
                for (ByteBuffer b : o.wire()) {
                    all[i++] = b;
                }
            }
            boolean direct = owner.isOpen() && bypass.writeQueueEmpty() && writeDirectly(all);
            for (Outgoing o : batch) {
                if (direct || fullyWritten(o)) {
                    written(o);
                } else {
                    queueInMina(o);
                }
            }
        }
    }

    /** Gathering writes of held PDUs so far (for tests). */
    long heldFlushes() {
        synchronized (sendOrder) {
            return heldFlushes;
        }
    }

    private static boolean fullyWritten(Outgoing o) {
        for (ByteBuffer b : o.wire()) {
            if (b.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /** A direct write, on the I/O thread only; the caller holds {@code sendOrder}. True when all of it was written. */
    private boolean writeDirectly(ByteBuffer[] parts) {
        if (!owner.onIoThread()) {
            return false;
        }
        try {
            return bypass.write(parts);
        } catch (java.io.IOException e) {
            owner.failed(e);
            return false; // the connection is failing: the PDUs are released with the others
        }
    }

    /** MINA wrote a posted PDU's last buffer (or, closing, says it did). */
    void postedWritten(PostedBuffer b) {
        // MINA writes in order, so b is the oldest; never remove(Object): IoBuffer.equals compares contents
        if (posted.peek() == b) {
            posted.poll();
        } else {
            for (Iterator<PostedBuffer> i = posted.iterator(); i.hasNext(); ) {
                if (i.next() == b) {
                    i.remove();
                    break;
                }
            }
        }
        if (b.finish()) {
            queuedBytes.addAndGet(-b.bytes);
            b.pdu.release();
        }
    }

    private void failPosted() {
        for (PostedBuffer b; (b = posted.poll()) != null; ) {
            if (b.finish()) {
                queuedBytes.addAndGet(-b.bytes);
                b.pdu.release();
            }
        }
    }

    private void sendFinished(PendingSend p) {
        pending.remove(p);
        queuedBytes.addAndGet(-p.bytes());
    }

    private IscsiException closedBeforeSent() {
        return new IscsiException(IscsiError.TRANS, "connection to " + peer + " closed before the PDU was sent");
    }

    /**
     * The connection stopped (its owner no longer {@link Owner#isOpen is open}): what is held or
     * queued is released, sends still waiting fail, before MINA could call them written.
     */
    void stop() {
        synchronized (sendOrder) {
            for (Outgoing o : held) {
                written(o); // never will be: released all the same
            }
            held.clear();
            heldBytes = 0;
        }
        failPosted();
        if (!pending.isEmpty()) {
            IscsiException e = closedBeforeSent();
            pending.forEach(p -> p.fail(e));
        }
    }

    /** Bytes of accepted sends not yet handed to the socket. */
    long queuedBytes() {
        return queuedBytes.get();
    }
}

package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.tcp.TcpOptions;

/**
 * One TCP connection over a MINA session. Sends are framed on the caller's thread and queued in
 * MINA without copying; the receive side is {@link Inbound}. Stages complete on MINA's I/O threads,
 * so what callers chain onto them must not block (or use the {@code *Async} variants).
 *
 * <p>Send queue: at most {@link TcpOptions#maxQueuedSendBytes()} bytes wait for the socket; a send
 * past that fails with {@code AGAIN} and leaves the connection up.
 */
final class TcpConnection implements TransportConnection, Inbound.Owner {
    /** Before {@link #configure}: no digests, any length the 24-bit field can carry. */
    static final LinkSettings UNCONFIGURED = new LinkSettings(false, false, Framing.MAX_DATA_SEGMENT_LENGTH);
    /** A batch's held PDUs are written early past this many (well below the kernel's 1024 iovecs per write)... */
    static final int MAX_HELD_PDUS = 128;
    /** ...or this many bytes, so large writes start while the batch goes on. */
    static final long MAX_HELD_BYTES = 256 * 1024;

    private final IoSession session;
    /** The send-queue limit and the AHS check are read where they are used: a changed configuration applies at once. */
    private final Supplier<TcpOptions> options;
    private final String local;
    private final String peer;
    private final BufferCount buffers = new BufferCount();
    private final FramePool frames = new FramePool();
    /** Posted PDUs not yet written, oldest first (MINA writes a session's buffers in order). */
    private final java.util.concurrent.ConcurrentLinkedQueue<PostedBuffer> posted = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Object sendOrder = new Object();
    /** PDUs posted during a receive batch, written when it ends (guarded by sendOrder). */
    private final List<Outgoing> held = new java.util.ArrayList<>();
    private long heldBytes; // guarded by sendOrder
    private long heldFlushes; // guarded by sendOrder
    /** MINA's I/O thread is delivering what it read: posts are held back ({@link #post}). */
    private volatile boolean batching;
    private volatile int repliesAwaited;
    /** Bytes read and written on the I/O thread since the last {@link #recentBytes} (I/O thread only). */
    private long passBytes;
    private long recentBytes;
    /** How its I/O thread pauses and polls for this connection (I/O thread only). */
    private final Moderator moderator = new Moderator();
    private final Set<PendingSend> pending = ConcurrentHashMap.newKeySet();
    private final Inbound inbound;
    private final CompletableFuture<Void> sessionClosed = new CompletableFuture<>();
    private final CompletableFuture<Void> closedDelivered = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture;
    private final AtomicReference<Throwable> ioError = new AtomicReference<>();
    private volatile LinkSettings settings = UNCONFIGURED;

    TcpConnection(IoSession session, TransportListener listener, Supplier<TcpOptions> options) {
        this.session = session;
        this.options = options;
        this.local = Addresses.format(session.getLocalAddress());
        this.peer = Addresses.format(session.getRemoteAddress());
        this.inbound = new Inbound(listener, new PduDecoder(peer, () -> options.get().checkAhsEntries()), () -> settings, buffers,
                this, peer);
        this.closeFuture = sessionClosed.thenCombine(closedDelivered, (a, b) -> null);
    }

    /** The MINA session (for tests and diagnostics: its processor, its socket's options). */
    IoSession session() {
        return session;
    }

    // --- TransportConnection

    @Override
    public PduBuffer allocate(int ahsLength, int dataLength) {
        return OutboundPdu.allocate(this, buffers, frames, ahsLength, dataLength, settings.headerDigest());
    }

    /** Wraps {@code data} without copying: it is written from the caller's memory. */
    @Override
    public PduBuffer allocate(int ahsLength, ByteBuffer data) {
        if (data.remaining() <= FramePool.largestPooledSegment()) {
            // MINA writes each buffer with a system call of its own (no gathering writes): for a segment
            // this small one copy into a pooled frame costs less than a second write and TCP segment
            OutboundPdu p = OutboundPdu.allocate(this, buffers, frames, ahsLength, data.remaining(), settings.headerDigest());
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
        if (!open.get()) {
            out.release();
            return null;
        }
        String problem = out.lengthProblem();
        if (problem != null) {
            out.release();
            throw new IscsiException(malformed, "PDU not sent to " + peer + ": " + problem);
        }
        List<ByteBuffer> wire = out.wire(settings);
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
            done.completeExceptionally(new IscsiException(IscsiError.TRANS, "connection to " + peer + " is closed"));
            return done;
        }
        List<ByteBuffer> wire = o.wire();
        PendingSend p = new PendingSend(o.pdu(), o.bytes(), 1, peer, this::sendFinished);
        pending.add(p);
        if (!open.get()) { // closed meanwhile: shut() may have missed this one
            p.fail(closedBeforeSent());
            return p.done;
        }
        synchronized (sendOrder) { // the parts of one PDU stay together
            flushHeld(); // PDUs posted before this one go first
            int last = wire.size() - 1;
            for (int i = 0; i < last; i++) {
                session.write(IoBuffer.wrap(wire.get(i)));
            }
            // MINA writes a session's buffers in order and closes the session when one fails, which
            // then fails every later write: the last part's outcome is the PDU's
            session.write(IoBuffer.wrap(wire.get(last))).addListener(f -> p.partDone((WriteFuture) f));
        }
        return p.done;
    }

    /**
     * {@link #send} without a completion stage, for the data path: the PDU's last buffer carries it
     * back in {@code messageSent}. A PDU that cannot go (malformed, queue full) closes the
     * connection, which is how the listener hears of it.
     *
     * <p>While MINA's I/O thread delivers what one read brought in, PDUs posted in reply (the next
     * commands of a closed loop, Data-Out for an R2T) are held back and written together in one
     * gathering write when that batch ends ({@link #flushHeld}): one system call and one TCP segment
     * for many PDUs instead of one each.
     */
    @Override
    public void post(PduBuffer pdu) {
        Outgoing o;
        try {
            o = admit(pdu, IscsiError.INTERNAL);
        } catch (IscsiException e) {
            ioFailed(e);
            return;
        }
        if (o == null) {
            return;
        }
        synchronized (sendOrder) {
            if (!held.isEmpty() || (batching && inbound.onIoThread() && minaQueueEmpty())) {
                // later posts (from any thread) join the held ones so that order holds
                held.add(o);
                heldBytes += o.bytes();
                if (held.size() >= MAX_HELD_PDUS || heldBytes >= MAX_HELD_BYTES) {
                    flushHeld();
                }
                return;
            }
            if (inbound.onIoThread() && minaQueueEmpty() && writeDirectly(o.wire().toArray(new ByteBuffer[0]))) {
                written(o);
                return;
            }
            queueInMina(o);
        }
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
        PostedBuffer tail = new PostedBuffer(IoBuffer.wrap(wire.get(last)), o.pdu(), o.bytes());
        posted.offer(tail);
        if (!open.get()) { // closed meanwhile: shut() may have missed this one
            failPosted();
            return;
        }
        for (int i = 0; i < last; i++) {
            if (wire.get(i).hasRemaining()) {
                session.write(IoBuffer.wrap(wire.get(i)));
            }
        }
        session.write(tail);
    }

    /**
     * Writes the PDUs held back during a batch: in one gathering write when MINA has nothing queued
     * (it cannot have: every post joins the held ones meanwhile), what the socket did not take then
     * through MINA's queue, in order.
     */
    private void flushHeld() {
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
            boolean direct = open.get() && minaQueueEmpty() && writeDirectly(all);
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

    /** Whether MINA has no write of this session under way or queued (only then may the I/O thread write itself). */
    private boolean minaQueueEmpty() {
        return session.getCurrentWriteRequest() == null && session.getWriteRequestQueue().isEmpty(session);
    }

    /**
     * On MINA's I/O thread, with nothing queued in MINA, PDUs go straight to the socket in one
     * gathering write: no write request, future or filter-chain pass, and headers and data segments
     * in one system call without copying any. Order holds: the caller holds {@code sendOrder}, only
     * this thread takes from MINA's queue, and it is empty. True when all of it was written; what
     * the socket did not take (the buffers' positions tell) then goes through MINA.
     */
    private boolean writeDirectly(ByteBuffer[] parts) {
        if (!inbound.onIoThread() || !(session instanceof org.apache.mina.transport.socket.nio.NioSession nio)) {
            return false;
        }
        try {
            passBytes += ((java.nio.channels.GatheringByteChannel) nio.getChannel()).write(parts);
        } catch (java.io.IOException e) {
            ioFailed(e);
            return false; // the connection is failing: the PDUs are released with the others
        }
        for (ByteBuffer b : parts) {
            if (b.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /** MINA wrote a posted PDU's last buffer (or, closing, says it did). */
    void postedWritten(PostedBuffer b) {
        // MINA writes in order, so b is the oldest; never remove(Object): IoBuffer.equals compares contents
        if (posted.peek() == b) {
            posted.poll();
        } else {
            for (java.util.Iterator<PostedBuffer> i = posted.iterator(); i.hasNext(); ) {
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

    private OutboundPdu adopt(PduBuffer pdu) {
        Objects.requireNonNull(pdu, "pdu");
        if (pdu instanceof OutboundPdu o && o.ownedBy(this)) {
            if (!o.claimForSend()) {
                throw new IllegalStateException("PDU buffer was already sent or released");
            }
            return o;
        }
        OutboundPdu copy = OutboundPdu.copyOf(pdu, this, buffers, settings.headerDigest());
        copy.claimForSend();
        pdu.release();
        return copy;
    }

    /** Stops the connection: sends still waiting fail (before MINA could call them written), then the socket closes. */
    private void shut() {
        open.set(false);
        failPending();
        session.closeNow();
    }

    private void failPending() {
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

    @Override
    public void configure(LinkSettings s) {
        settings = Objects.requireNonNull(s, "settings");
    }

    @Override
    public void suspendReceive() {
        inbound.suspend();
    }

    @Override
    public void resumeReceive() {
        inbound.resume();
    }

    @Override
    public void close() {
        inbound.closeLocally();
        shut();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture.minimalCompletionStage();
    }

    /** The engine's count of replies due on this connection (see {@link ReadLoopProcessor}'s read coalescing). */
    @Override
    public void repliesAwaited(int count) {
        repliesAwaited = count;
    }

    int repliesAwaited() {
        return repliesAwaited;
    }

    /** How the I/O thread moderates its waits for this connection (I/O thread only). */
    Moderator moderator() {
        return moderator;
    }

    /** PDUs delivered since the last call (I/O thread). */
    int takeDelivered() {
        return inbound.takeDelivered();
    }

    /** Bytes MINA wrote from its queue on the I/O thread (direct reads and writes count themselves). */
    void moved(long bytes) {
        passBytes += bytes;
    }

    /**
     * Bytes read and written on the I/O thread in recent passes, each pass weighing half the one
     * after it (steady traffic of n bytes a pass gives about 2n); one call per pass, I/O thread only.
     */
    long recentBytes() {
        recentBytes = recentBytes / 2 + passBytes;
        passBytes = 0;
        return recentBytes;
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
        return peer;
    }

    @Override
    public long buffersOutstanding() {
        return buffers.outstanding();
    }

    /** Bytes of accepted sends not yet handed to the socket. */
    long queuedSendBytes() {
        return queuedBytes.get();
    }

    // --- from the connect attempt and MINA's handler

    /** The connect stage completed: delivery may begin. */
    void start() {
        inbound.start();
    }

    /** Closes a connection whose connect stage failed (timeout won the race) without a word to its listener. */
    void abandon() {
        inbound.abandon();
        shut();
    }

    /** What MINA read: delivered as one batch, replies posted meanwhile written together at its end. */
    void bytesReceived(IoBuffer b) {
        passBytes += b.remaining();
        batching = true;
        try {
            inbound.bytes(b);
        } finally {
            batching = false;
            flushHeld();
        }
    }

    /**
     * Before MINA reads: a large data segment under way is read straight into its destination
     * ({@link Inbound#readStraight}). True when MINA need not read; only on the I/O thread.
     */
    boolean readStraight() {
        if (!inbound.straightPending()) {
            return false;
        }
        batching = true;
        try {
            return inbound.readStraight();
        } finally {
            batching = false;
            flushHeld();
        }
    }

    /** How many bytes MINA's next read of this socket should take at most (0: no limit); see {@link Inbound#readCap}. */
    int readCap() {
        return inbound.readCap();
    }

    /** Inbound's direct reads: the MINA session's own channel, read on its I/O thread. */
    @Override
    public int readDirect(ByteBuffer dst) throws java.io.IOException {
        if (!(session instanceof org.apache.mina.transport.socket.nio.NioSession nio)) {
            return 0;
        }
        flushHeld(); // a direct read may go on for a while: what the batch posted goes out first
        int n = nio.getChannel().read(dst);
        passBytes += Math.max(n, 0);
        return n;
    }

    void ioFailed(Throwable cause) {
        ioError.compareAndSet(null, cause);
        shut();
    }

    /** The peer closed its end (FIN): iSCSI has no half-closed connections. */
    void peerClosed() {
        shut();
    }

    void sessionClosed() {
        open.set(false);
        failPending();
        sessionClosed.complete(null);
        inbound.inputEnded(ioError.get());
    }

    // --- Inbound.Owner

    @Override
    public void readPaused(boolean paused) {
        if (paused) {
            session.suspendRead();
        } else {
            session.resumeRead();
        }
    }

    @Override
    public void fatal() {
        shut();
    }

    @Override
    public void closedDelivered() {
        closedDelivered.complete(null);
    }
}

package org.kiscsi.transport.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.mina.core.session.IoSession;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.tcp.TcpOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection over a MINA session: its life (open, closing, closed), its link settings, and
 * the two sides that do the work, {@link Outbound} and {@link Inbound}; where either goes around
 * MINA, it does so through {@link MinaBypass}. Stages complete on MINA's I/O threads, so what callers
 * chain onto them must not block (or use the {@code *Async} variants).
 */
final class TcpConnection implements TransportConnection, Inbound.Owner, Outbound.Owner {
    /** Before {@link #configure}: no digests, any length the 24-bit field can carry. */
    static final LinkSettings UNCONFIGURED = new LinkSettings(false, false, Framing.MAX_DATA_SEGMENT_LENGTH);
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);

    private final IoSession session;
    private final String local;
    private final String peer;
    private final BufferCount buffers = new BufferCount();
    private final ReadBuffers readBuffers;
    private final MinaBypass bypass;
    private final Outbound outbound;
    private final Inbound inbound;
    private final Consumer<ByteBuffer> received = this::bytesReceived;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final CompletableFuture<Void> sessionClosed = new CompletableFuture<>();
    private final CompletableFuture<Void> closedDelivered = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture;
    private final AtomicReference<Throwable> ioError = new AtomicReference<>();
    private volatile LinkSettings settings = UNCONFIGURED;
    private volatile int repliesAwaited;
    /** How its I/O thread pauses and polls for this connection (I/O thread only). */
    private final Moderator moderator = new Moderator();

    /** {@code options}: the send-queue limit and the AHS check are read where used, so a changed configuration applies at once. */
    TcpConnection(IoSession session, TransportListener listener, Supplier<TcpOptions> options, ReadBuffers readBuffers) {
        this.session = session;
        this.local = Addresses.format(session.getLocalAddress());
        this.peer = Addresses.format(session.getRemoteAddress());
        this.readBuffers = readBuffers;
        this.bypass = new MinaBypass(session, readBuffers);
        this.outbound = new Outbound(session, bypass, options, () -> settings, buffers, this, peer);
        this.inbound = new Inbound(listener, new PduDecoder(peer, () -> options.get().checkAhsEntries()), () -> settings, buffers,
                this, peer, readBuffers);
        this.closeFuture = sessionClosed.thenCombine(closedDelivered, (a, b) -> null);
    }

    /** The MINA session (for tests and diagnostics: its processor, its socket's options). */
    IoSession session() {
        return session;
    }

    // --- TransportConnection

    @Override
    public PduBuffer allocate(int ahsLength, int dataLength) {
        return outbound.allocate(ahsLength, dataLength);
    }

    /** Wraps {@code data} without copying: it is written from the caller's memory. */
    @Override
    public PduBuffer allocate(int ahsLength, ByteBuffer data) {
        return outbound.allocate(ahsLength, data);
    }

    @Override
    public CompletionStage<Void> send(PduBuffer pdu) {
        return outbound.send(pdu);
    }

    @Override
    public void post(PduBuffer pdu) {
        outbound.post(pdu);
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

    // --- life

    /** The connect stage completed: delivery may begin. */
    void start() {
        inbound.start();
    }

    /** Closes a connection whose connect stage failed (timeout won the race) without a word to its listener. */
    void abandon() {
        inbound.abandon();
        shut();
    }

    /** Stops the connection: sends still waiting fail (before MINA could call them written), then the socket closes. */
    private void shut() {
        open.set(false);
        outbound.stop();
        session.closeNow();
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
        outbound.stop();
        sessionClosed.complete(null);
        inbound.inputEnded(ioError.get());
    }

    // --- from MINA's I/O thread (ReadLoopProcessor, SessionHandler)

    /**
     * MINA's read of the socket, done here instead ({@link MinaBypass#read(int, Consumer)}): a
     * large data segment under way is read straight into its destination; otherwise one read into a
     * pooled buffer, delivered as one batch. What MINA's read loop is to see: 0, or -1 at the end of
     * the stream. A peer's reset ends the connection as MINA would (the cause kept for the engine),
     * with one line naming the connection instead of MINA's ERROR; other read failures go to MINA.
     */
    int readSocket() throws IOException {
        try {
            if (readStraight()) {
                return 0; // the bytes went straight into a data segment's destination, and the socket is empty
            }
            return bypass.read(inbound.readCap(), received) < 0 ? -1 : 0;
        } catch (IOException e) {
            if (!PeerResets.isPeerReset(e)) {
                throw e;
            }
            LOG.info("connection {} -> {}: reset by the peer", localAddress(), remoteAddress());
            ioFailed(e);
            return -1; // MINA ends the session as at the end of the stream
        }
    }

    /** What one read brought in: delivered as one batch, replies posted meanwhile written together at its end. */
    private void bytesReceived(ByteBuffer b) {
        outbound.beginBatch();
        try {
            inbound.bytes(b);
        } catch (RuntimeException e) {
            LOG.error("receive path of {} failed: closing it", peer, e);
            ioFailed(e);
        } finally {
            outbound.endBatch();
        }
    }

    /**
     * Before reading: a large data segment under way is read straight into its destination
     * ({@link Inbound#readStraight}). True when no read is needed; only on the I/O thread.
     */
    private boolean readStraight() {
        if (!inbound.straightPending()) {
            return false;
        }
        outbound.beginBatch();
        try {
            return inbound.readStraight();
        } finally {
            outbound.endBatch();
        }
    }

    /** MINA wrote a posted PDU's last buffer (or, closing, says it did). */
    void postedWritten(PostedBuffer b) {
        outbound.postedWritten(b);
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

    /** Bytes MINA wrote from its queue on the I/O thread. */
    void moved(long bytes) {
        bypass.moved(bytes);
    }

    /** Bytes read and written on the I/O thread in recent passes ({@link MinaBypass#recentBytes}). */
    long recentBytes() {
        return bypass.recentBytes();
    }

    /** The pool this connection reads into (for tests). */
    ReadBuffers readBuffers() {
        return readBuffers;
    }

    /** Gathering writes of held PDUs so far (for tests). */
    long heldFlushes() {
        return outbound.heldFlushes();
    }

    /** Bytes of accepted sends not yet handed to the socket. */
    long queuedSendBytes() {
        return outbound.queuedBytes();
    }

    // --- Inbound.Owner and Outbound.Owner

    /** Inbound's direct reads: the session's own channel, read on its I/O thread. */
    @Override
    public int readDirect(ByteBuffer dst) throws IOException {
        outbound.flushHeld(); // a direct read may go on for a while: what the batch posted goes out first
        return bypass.read(dst);
    }

    /** As {@link #readDirect(ByteBuffer)}, on into {@code then}: one scattering read. */
    @Override
    public int readDirect(ByteBuffer dst, ByteBuffer then) throws IOException {
        outbound.flushHeld();
        return bypass.read(dst, then);
    }

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

    @Override
    public boolean onIoThread() {
        return inbound.onIoThread();
    }

    @Override
    public void failed(Throwable cause) {
        ioFailed(cause);
    }
}

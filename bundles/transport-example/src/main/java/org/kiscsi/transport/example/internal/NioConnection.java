package org.kiscsi.transport.example.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iSCSI connection on a non-blocking socket. Callers on any thread queue PDUs and requests; the
 * selector thread does all the I/O and calls the listener. A read delivers every whole PDU it
 * completed (unless receive is suspended); a write gathers up to {@link #GATHER} queued PDUs into one
 * system call and waits for OP_WRITE when the socket is full.
 */
final class NioConnection implements TransportConnection, SelectorLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(NioConnection.class);
    private static final int READ_BUFFER = 64 * 1024;
    /** PDUs per gathering write. */
    private static final int GATHER = 16;

    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final TransportListener listener;
    private final Runnable onClosed;
    private final String local;
    private final String remote;
    private final AtomicLong outstanding = new AtomicLong();
    /** Until the first configure() (the engine's is LinkSettings.LOGIN): no digests, any segment length. */
    static final LinkSettings UNCONFIGURED = new LinkSettings(false, false, Framing.MAX_DATA_SEGMENT_LENGTH);

    private volatile LinkSettings settings = UNCONFIGURED;
    private final FrameReader reader;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final Queue<OutboundFrame> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean suspended;
    private SelectionKey key; // loop thread only, as is everything below
    private boolean writeBlocked;
    private boolean ended;

    NioConnection(SelectorLoop loop, SocketChannel channel, TransportListener listener, String local, String remote,
            Runnable onClosed) {
        this.loop = loop;
        this.channel = channel;
        this.listener = listener;
        this.local = local;
        this.remote = remote;
        this.onClosed = onClosed;
        this.reader = new FrameReader(() -> settings, outstanding, remote);
    }

    /** Starts reading; on the loop's thread, once the connection is up. */
    void start(SelectionKey selectionKey) {
        key = selectionKey;
        key.attach(this);
        updateInterest();
    }

    // ------------------------------------------------------------------ TransportConnection, any thread

    @Override
    public PduBuffer allocate(int ahsLength, int dataLength) {
        checkLengths(ahsLength, dataLength);
        return new NioPdu(ByteBuffer.allocate(Framing.BHS_LENGTH + ahsLength), ByteBuffer.allocate(dataLength), true,
                outstanding);
    }

    /** The caller's data is written from where it is: no copy. */
    @Override
    public PduBuffer allocate(int ahsLength, ByteBuffer data) {
        checkLengths(ahsLength, data.remaining());
        return new NioPdu(ByteBuffer.allocate(Framing.BHS_LENGTH + ahsLength), data.slice(), true, outstanding);
    }

    private static void checkLengths(int ahsLength, int dataLength) {
        if (ahsLength < 0 || ahsLength > 255 * 4 || ahsLength % 4 != 0) {
            throw new IllegalArgumentException("AHS length " + ahsLength + " is not a multiple of 4 in 0..1020");
        }
        if (dataLength < 0 || dataLength > Framing.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("data segment length " + dataLength + " outside 0.." + Framing.MAX_DATA_SEGMENT_LENGTH);
        }
    }

    @Override
    public CompletionStage<Void> send(PduBuffer pdu) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        enqueue(pdu, sent);
        return sent;
    }

    @Override
    public void post(PduBuffer pdu) {
        enqueue(pdu, null);
    }

    private void enqueue(PduBuffer pdu, CompletableFuture<Void> sent) {
        OutboundFrame frame = new OutboundFrame(pdu, settings, sent);
        if (closeRequested.get()) {
            frame.failed(closedError());
            return;
        }
        queued.add(frame);
        if (flushScheduled.compareAndSet(false, true) && !loop.execute(this::flush)) {
            failQueued(); // the loop has ended: nothing will ever write it
        } else if (closeRequested.get() && !loop.execute(this::failQueued)) {
            failQueued(); // a close raced with the queueing: the frame must not wait forever
        }
    }

    /** Framing from now on: outgoing PDUs queued after this call, incoming PDUs starting after it. */
    @Override
    public void configure(LinkSettings next) {
        settings = next;
    }

    @Override
    public void suspendReceive() {
        suspended = true;
        loop.execute(this::updateInterest);
    }

    @Override
    public void resumeReceive() {
        suspended = false;
        loop.execute(() -> {
            deliverBuffered();
            updateInterest();
        });
    }

    @Override
    public void close() {
        if (closeRequested.compareAndSet(false, true) && !loop.execute(() -> end(null))) {
            end(null);
        }
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public boolean isOpen() {
        return !closeRequested.get();
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

    // ------------------------------------------------------------------ the loop's thread

    @Override
    public void ready(SelectionKey k) {
        if (k.isWritable()) {
            writeBlocked = false;
            flush();
        }
        if (k.isValid() && k.isReadable()) {
            read();
        }
    }

    private void read() {
        int n;
        try {
            n = channel.read(readBuffer);
        } catch (IOException e) {
            fail(new IscsiException(IscsiError.TRANS, "connection to " + remote + " failed: " + e.getMessage(), e));
            return;
        }
        deliverBuffered();
        if (n < 0 && !ended) {
            fail(reader.betweenPdus() ? new IscsiException(IscsiError.TRANS, "connection closed by " + remote)
                    : reader.truncated());
        }
    }

    /** Hands the listener every whole PDU in the read buffer, as long as receive is not suspended. */
    private void deliverBuffered() {
        readBuffer.flip();
        try {
            while (!suspended && !ended) {
                NioPdu pdu = reader.next(readBuffer);
                if (pdu == null) {
                    break;
                }
                try {
                    listener.received(pdu);
                } catch (RuntimeException e) {
                    fail(new IscsiException(IscsiError.INTERNAL, "listener threw on PDU #" + reader.pduNumber() + " from "
                            + remote + ": " + e, e));
                }
            }
        } catch (IscsiException e) {
            fail(e);
        } finally {
            readBuffer.compact();
        }
    }

    private void flush() {
        flushScheduled.set(false);
        if (ended) {
            failQueued();
            return;
        }
        try {
            while (!queued.isEmpty()) {
                List<OutboundFrame> batch = new ArrayList<>(GATHER);
                List<ByteBuffer> pieces = new ArrayList<>(GATHER * 4);
                for (OutboundFrame f : queued) {
                    batch.add(f);
                    pieces.addAll(List.of(f.pieces));
                    if (batch.size() == GATHER) {
                        break;
                    }
                }
                channel.write(pieces.toArray(new ByteBuffer[0]));
                for (OutboundFrame f : batch) {
                    if (f.remaining() > 0) {
                        writeBlocked = true; // the socket is full: OP_WRITE says when to go on
                        updateInterest();
                        return;
                    }
                    queued.poll();
                    f.done();
                }
            }
            writeBlocked = false;
            updateInterest();
        } catch (IOException e) {
            fail(new IscsiException(IscsiError.TRANS, "cannot write to " + remote + ": " + e.getMessage(), e));
        }
    }

    private void updateInterest() {
        if (ended || key == null || !key.isValid()) {
            return;
        }
        key.interestOps((suspended ? 0 : SelectionKey.OP_READ) | (writeBlocked ? SelectionKey.OP_WRITE : 0));
    }

    private void fail(IscsiException cause) {
        closeRequested.set(true);
        end(cause);
    }

    /** Closes the socket, fails what was still queued, tells the listener once. */
    private void end(Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("nio transport: closing the socket to {}", remote, e);
        }
        failQueued();
        try {
            listener.closed(cause);
        } catch (RuntimeException e) {
            LOG.warn("nio transport: the listener of the connection to {} threw on closed()", remote, e);
        }
        onClosed.run();
        closeFuture.complete(null);
    }

    private void failQueued() {
        OutboundFrame f;
        while ((f = queued.poll()) != null) {
            f.failed(closedError());
        }
    }

    private IscsiException closedError() {
        return new IscsiException(IscsiError.TRANS, "connection " + local + " -> " + remote + " is closed");
    }

    @Override
    public void loopEnded() {
        closeRequested.set(true);
        end(null);
    }

    @Override
    public void failed(RuntimeException e) {
        fail(new IscsiException(IscsiError.INTERNAL, "connection to " + remote + " failed on the selector thread: " + e, e));
    }
}

package org.kiscsi.iscsid.internal.mgmt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.FrameHeader;
import org.kiscsi.mgmt.ManagementEndpoint;
import org.kiscsi.mgmt.MgmtAnswer;
import org.kiscsi.mgmt.MgmtHandler;
import org.kiscsi.mgmt.MgmtProgress;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtProtocolException;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.mgmt.ProgressSink;
import org.kiscsi.mgmt.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The management socket's one selector thread: accepts, reads every connection without blocking,
 * hands whole requests to {@code workers}, writes answers when the socket can take them, and keeps
 * every deadline. Other threads reach it only through {@link #post}.
 */
final class SocketLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketLoop.class);

    private final ServerSocketChannel server;
    private final Selector selector;
    private final MgmtHandler handler;
    private final PeerCheck peers;
    private final Executor workers;
    private final ServerLimits limits;
    private final List<Conn> conns = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;

    SocketLoop(ServerSocketChannel server, MgmtHandler handler, PeerCheck peers, Executor workers, ServerLimits limits)
            throws IOException {
        this.server = server;
        this.handler = handler;
        this.peers = peers;
        this.workers = workers;
        this.limits = limits;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Runs {@code task} on the selector thread. */
    void post(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Connections open now (for tests and the log). */
    int connections() {
        return conns.size();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                long now = System.nanoTime();
                long next = expire(now);
                selector.select(Math.max(1, (next - now) / 1_000_000));
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    try {
                        t.run();
                    } catch (RuntimeException e) {
                        // one connection's step failing must not end the loop every client depends on
                        LOG.error("management socket: a step of a request failed; the loop goes on", e);
                    }
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    try {
                        handle(k);
                    } catch (RuntimeException e) {
                        LOG.error("management socket: a connection failed; closing it, the loop goes on", e);
                        if (k.attachment() instanceof Conn c) {
                            c.close();
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!stopping) {
                LOG.error("management socket loop failed: {}", e.toString());
            }
        } finally {
            new ArrayList<>(conns).forEach(Conn::close);
            MgmtServer.closeQuietly(selector);
        }
    }

    private void handle(SelectionKey k) throws IOException {
        if (!k.isValid()) {
            return;
        }
        if (k.isAcceptable()) {
            acceptAll();
        } else {
            Conn c = (Conn) k.attachment();
            if (k.isReadable()) {
                c.read();
            }
            if (k.isValid() && k.isWritable()) {
                c.write();
            }
        }
    }

    /** Acts on passed deadlines; returns the nearest one left. */
    private long expire(long now) {
        long next = now + 1_000_000_000L;
        for (Conn c : new ArrayList<>(conns)) {
            if (c.deadline - now <= 0) {
                try {
                    c.expired();
                } catch (RuntimeException e) {
                    LOG.error("management socket: ending an expired connection failed; closing it", e);
                    c.close();
                }
            }
            if (c.open && c.deadline - next < 0) {
                next = c.deadline;
            }
        }
        return next;
    }

    private void acceptAll() throws IOException {
        for (SocketChannel ch; (ch = server.accept()) != null; ) {
            if (conns.size() >= limits.maxConnections() && !evictOldestReader()) {
                LOG.warn("management socket: {} connections busy with requests; refusing another", conns.size());
                MgmtServer.closeQuietly(ch);
                continue;
            }
            ch.configureBlocking(false);
            conns.add(new Conn(ch, ch.register(selector, SelectionKey.OP_READ)));
        }
    }

    private boolean evictOldestReader() {
        Conn oldest = null;
        for (Conn c : conns) {
            if ((c.state == State.READING || c.state == State.DRAINING) && (oldest == null || c.acceptedAt - oldest.acceptedAt < 0)) {
                oldest = c;
            }
        }
        if (oldest == null) {
            return false;
        }
        LOG.debug("management socket: {} connections open; closing the one waiting longest for its request", conns.size());
        oldest.close();
        return true;
    }

    /**
     * READING a request, WORKING on it, WRITING the answer, DRAINING what the client sent beyond its
     * frame (a garbled one): closing with unread bytes would reset the connection before the client
     * reads its answer.
     */
    private enum State { READING, WORKING, WRITING, DRAINING }

    /** At most this much is read and dropped after an answer, within {@link #DRAIN_TIME}. */
    private static final int DRAIN_BYTES = 64 * 1024;
    private static final Duration DRAIN_TIME = Duration.ofMillis(500);

    /** One client connection: one request, progress frames, one answer. */
    private final class Conn {
        final SocketChannel ch;
        final SelectionKey key;
        final long acceptedAt = System.nanoTime();
        final ByteBuffer header = ByteBuffer.allocate(FrameHeader.SIZE);
        final java.util.ArrayDeque<ByteBuffer> out = new java.util.ArrayDeque<>();
        State state = State.READING;
        ByteBuffer payload;
        FrameHeader head;
        MgmtRequest request;
        long deadline;
        boolean open = true;
        boolean closeWhenWritten;
        int drained;
        Runnable afterSent = () -> { };

        Conn(SocketChannel ch, SelectionKey key) {
            this.ch = ch;
            this.key = key;
            this.deadline = acceptedAt + limits.requestDeadline().toNanos();
            key.attach(this);
        }

        void read() {
            if (state == State.DRAINING) {
                drain();
                return;
            }
            try {
                ByteBuffer into = payload != null ? payload : header;
                int n = ch.read(into);
                if (n < 0) {
                    close(); // a probe, or a client that gave up
                    return;
                }
                if (payload == null && !header.hasRemaining()) {
                    head = FrameHeader.read(header.flip());
                    if (head.kind() != MgmtProtocol.KIND_REQUEST) {
                        throw new MgmtProtocolException("expected a request frame, got kind " + head.kind());
                    }
                    try {
                        payload = ByteBuffer.allocate(head.checkedLength(limits.maxRequestBytes()));
                    } catch (MgmtProtocolException e) {
                        refuse(IscsiError.INVALID_MGMT_REQ, "invalid request: " + e.getMessage());
                        return;
                    }
                    ch.read(payload);
                }
                if (payload != null && !payload.hasRemaining()) {
                    requestRead();
                }
            } catch (MgmtProtocolException e) {
                refuse(IscsiError.INVALID_MGMT_REQ, "invalid request: " + e.getMessage());
            } catch (IOException e) {
                LOG.debug("management connection ended: {}", e.toString());
                close();
            }
        }

        private void requestRead() throws MgmtProtocolException {
            key.interestOps(0);
            try {
                request = MgmtProtocol.decodeRequest(head, payload.flip());
            } catch (UnsupportedVersionException e) {
                send(ManagementEndpoint.versionRefusal(e.version()), true);
                return;
            }
            payload = null;
            UnixDomainPrincipal peer;
            try {
                peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            } catch (IOException e) {
                peer = null;
            }
            if (!peers.allows(peer)) {
                String who = peer == null ? "?" : peer.user().getName();
                LOG.warn("management request from user {} refused: only {} may use the daemon", who, peers.describe());
                refuse(IscsiError.ACCESS, "permission denied: user " + who + " may not manage this daemon");
                return;
            }
            LOG.debug("management request v{} {}", request.version(), request.describe());
            state = State.WORKING;
            deadline = System.nanoTime() + limits.answerDeadline().toNanos();
            try {
                workers.execute(this::dispatch);
            } catch (RejectedExecutionException e) {
                refuse(IscsiError.INTERNAL, "the daemon is stopping");
            }
        }

        /** On a worker: the handler's answer, back to the selector thread. */
        private void dispatch() {
            AtomicBoolean announced = new AtomicBoolean();
            ProgressSink sink = (due, note) -> {
                announced.set(true);
                post(() -> progress(due, note));
            };
            CompletionStage<MgmtAnswer> stage;
            try {
                stage = handler.answer(request, sink);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            if (!stage.toCompletableFuture().isDone() && !announced.get()) {
                // the client's first wait is short: tell it how long this daemon gives the handler
                sink.dueWithin(limits.answerDeadline(), request.op());
            }
            stage.whenComplete((a, t) -> post(() -> answered(a != null ? a
                    : MgmtAnswer.of(ManagementEndpoint.errorFor(request.op(), t)))));
        }

        private void progress(Duration due, String note) {
            if (state != State.WORKING || !open) {
                return;
            }
            deadline = System.nanoTime() + due.toNanos();
            if (request.version() >= 2) {
                try {
                    queue(MgmtProtocol.encodeProgress(request.version(), new MgmtProgress(due, note)));
                } catch (MgmtProtocolException | IllegalArgumentException e) {
                    LOG.warn("management socket: progress of {} not sent: {}", request.op(), e.getMessage());
                }
            }
        }

        private void answered(MgmtAnswer a) {
            if (state != State.WORKING || !open) {
                return; // answered already (timed out) or gone
            }
            afterSent = a.afterSent();
            send(a.response().inVersion(request.version()), true);
        }

        private void refuse(IscsiError error, String message) {
            int version = request != null ? request.version()
                    : head != null && head.spoken() ? head.version() : MgmtProtocol.VERSION;
            send(MgmtResponse.error(error.code(), message).inVersion(version), true);
        }

        private void send(MgmtResponse r, boolean thenClose) {
            ByteBuffer b;
            try {
                b = MgmtProtocol.encodeResponse(r);
            } catch (MgmtProtocolException e) {
                try {
                    b = MgmtProtocol.encodeResponse(MgmtResponse.error(IscsiError.INTERNAL.code(), "answer to "
                            + (request == null ? "request" : request.op()) + " not sent: " + e.getMessage())
                            .inVersion(r.version()));
                } catch (MgmtProtocolException impossible) {
                    close();
                    return;
                }
            }
            state = State.WRITING;
            closeWhenWritten = thenClose;
            deadline = System.nanoTime() + limits.requestDeadline().toNanos();
            queue(b);
        }

        private void queue(ByteBuffer b) {
            out.add(b);
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_WRITE);
            }
            write();
        }

        void write() {
            try {
                while (!out.isEmpty()) {
                    ch.write(out.peek());
                    if (out.peek().hasRemaining()) {
                        return; // the socket is full: the selector says when it can take more
                    }
                    out.poll();
                }
                if (key.isValid()) {
                    key.interestOps(0);
                }
                if (state == State.WRITING && closeWhenWritten) {
                    Runnable after = afterSent;
                    lingerOrClose();
                    runQuietly(after);
                }
            } catch (IOException e) {
                LOG.debug("management connection ended while answering: {}", e.toString());
                close();
            }
        }

        void expired() {
            switch (state) {
                case READING -> refuse(IscsiError.INVALID_MGMT_REQ, "no whole request within "
                        + limits.requestDeadline().toMillis() + " ms");
                case WORKING -> send(MgmtResponse.error(IscsiError.REQ_TIMEDOUT.code(), request.op()
                        + " did not complete in time").inVersion(request.version()), true);
                case WRITING, DRAINING -> close(); // the client does not take its answer, or never stops sending
            }
        }

        /** The answer is out: read what else the client sent (bounded), then close. */
        private void lingerOrClose() {
            try {
                ch.shutdownOutput();
            } catch (IOException e) {
                close();
                return;
            }
            state = State.DRAINING;
            deadline = System.nanoTime() + DRAIN_TIME.toNanos();
            drained = 0;
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
            drain();
        }

        private void drain() {
            ByteBuffer sink = ByteBuffer.allocate(4096);
            try {
                for (int n; (n = ch.read(sink.clear())) != 0; ) {
                    drained += Math.max(n, 0);
                    if (n < 0 || drained >= DRAIN_BYTES) {
                        close();
                        return;
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            if (!open) {
                return;
            }
            open = false;
            conns.remove(this);
            key.cancel();
            MgmtServer.closeQuietly(ch);
        }
    }

    private void runQuietly(Runnable r) {
        try {
            workers.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }
}

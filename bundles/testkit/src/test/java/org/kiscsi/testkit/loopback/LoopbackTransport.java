package org.kiscsi.testkit.loopback;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.EchoPeer;
import org.kiscsi.testkit.contract.Pdus;

/**
 * A transport inside one JVM: "connections" go to an {@link Peer} registered under a port number.
 * It exists to prove the transport contract suite itself, with no network involved.
 */
final class LoopbackTransport implements TransportProvider {
    static final String HOST = "in-jvm";
    private static final Map<Integer, Peer> PEERS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(1000);

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return Set.of();
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        Peer peer = HOST.equals(request.portal().address()) ? PEERS.get(request.portal().port()) : null;
        if (peer == null) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS,
                    "connection to " + request.portal().hostPort() + " refused: no in-JVM peer there"));
        }
        peer.accepted.incrementAndGet();
        return CompletableFuture.completedFuture(new Connection(listener, request.portal()));
    }

    /** The echo peer: registered under a fresh port until closed. */
    static final class Peer implements EchoPeer {
        final int port = NEXT_PORT.incrementAndGet();
        final AtomicInteger accepted = new AtomicInteger();

        Peer() {
            PEERS.put(port, this);
        }

        @Override
        public Portal portal() {
            return Portal.of(HOST, port);
        }

        @Override
        public void configure(LinkSettings settings) {
            // nothing to frame in memory
        }

        @Override
        public int connectionsAccepted() {
            return accepted.get();
        }

        @Override
        public void close() {
            PEERS.remove(port);
        }
    }

    private static final class Buffer implements PduBuffer {
        private final ByteBuffer header;
        private final ByteBuffer data;
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicLong outstanding;

        Buffer(int headerLength, int dataLength, AtomicLong outstanding) {
            this.header = ByteBuffer.allocate(headerLength);
            this.data = ByteBuffer.allocate(dataLength);
            this.outstanding = outstanding;
            outstanding.incrementAndGet();
        }

        @Override
        public ByteBuffer header() {
            return header;
        }

        @Override
        public ByteBuffer data() {
            return data;
        }

        @Override
        public void release() {
            if (!released.compareAndSet(false, true)) {
                throw new IllegalStateException("PDU buffer released twice");
            }
            outstanding.decrementAndGet();
        }
    }

    private static final class Connection implements TransportConnection {
        private final TransportListener listener;
        private final Portal portal;
        private final AtomicLong outstanding = new AtomicLong();
        private final ExecutorService wire = Executors.newSingleThreadExecutor();
        private final ExecutorService delivery = Executors.newSingleThreadExecutor();
        private final ArrayDeque<PduBuffer> held = new ArrayDeque<>();
        private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private boolean suspended; // guarded by held

        Connection(TransportListener listener, Portal portal) {
            this.listener = listener;
            this.portal = portal;
        }

        @Override
        public PduBuffer allocate(int ahsLength, int dataLength) {
            return new Buffer(Pdus.BHS + ahsLength, dataLength, outstanding);
        }

        @Override
        public CompletionStage<Void> send(PduBuffer pdu) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (!open.get()) {
                pdu.release();
                done.completeExceptionally(new IscsiException(IscsiError.TRANS, "connection to " + portal.hostPort() + " is closed"));
                return done;
            }
            wire.execute(() -> {
                if (!open.get()) {
                    pdu.release();
                    done.completeExceptionally(new IscsiException(IscsiError.TRANS, "connection to " + portal.hostPort() + " is closed"));
                    return;
                }
                // what crosses the "wire" is a copy, as on a real network
                Buffer echo = new Buffer(pdu.header().limit(), pdu.data().limit(), outstanding);
                echo.header.put(pdu.header().duplicate().position(0)).flip();
                echo.data.put(pdu.data().duplicate().position(0)).flip();
                boolean logout = Pdus.opcode(pdu.header()) == Pdus.OP_LOGOUT_REQUEST;
                pdu.release();
                done.complete(null);
                if (logout) {
                    echo.release();
                    close(new IscsiException(IscsiError.TRANS, "connection closed by " + portal.hostPort()));
                } else {
                    deliver(echo);
                }
            });
            return done;
        }

        private void deliver(PduBuffer p) {
            synchronized (held) {
                if (suspended) {
                    held.add(p);
                    return;
                }
            }
            delivery.execute(() -> {
                if (open.get()) {
                    listener.received(p);
                } else {
                    p.release();
                }
            });
        }

        @Override
        public void configure(LinkSettings settings) {
        }

        @Override
        public void suspendReceive() {
            synchronized (held) {
                suspended = true;
            }
        }

        @Override
        public void resumeReceive() {
            ArrayDeque<PduBuffer> release;
            synchronized (held) {
                suspended = false;
                release = new ArrayDeque<>(held);
                held.clear();
            }
            release.forEach(this::deliver);
        }

        private void close(Throwable cause) {
            if (!open.compareAndSet(true, false)) {
                return;
            }
            delivery.execute(() -> {
                synchronized (held) {
                    held.forEach(PduBuffer::release);
                    held.clear();
                }
                listener.closed(cause);
                closeFuture.complete(null);
            });
            delivery.shutdown();
            wire.shutdown();
        }

        @Override
        public void close() {
            close(null);
        }

        @Override
        public CompletionStage<Void> closeFuture() {
            return closeFuture;
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public String localAddress() {
            return HOST + ":0";
        }

        @Override
        public String remoteAddress() {
            return portal.hostPort();
        }

        @Override
        public long buffersOutstanding() {
            return outstanding.get();
        }
    }
}

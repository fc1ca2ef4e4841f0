package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * PDUs posted while the I/O thread delivers one read's PDUs (a closed loop's next commands) leave
 * together at the end of that batch, in the order they were posted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeldWritesTest {
    private static final int BATCH = 40;

    private ServerSocket server;
    private Socket peer;
    private TcpTransport tcp;

    @BeforeEach
    void listen() throws Exception {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withCheckAhsEntries(false));
    }

    @AfterEach
    void close() throws Exception {
        tcp.close();
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    /** Connects with {@code listener} and accepts the connection on the peer's side. */
    private TcpConnection connect(TransportListener listener) throws Exception {
        Portal p = Portal.of(InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort());
        CompletableFuture<TransportConnection> c = tcp.connect(ConnectRequest.to(p, Duration.ofSeconds(5)), listener).toCompletableFuture();
        peer = server.accept();
        peer.setSoTimeout(10_000);
        return (TcpConnection) c.get(5, TimeUnit.SECONDS);
    }

    /** {@code count} header-only NOP-In PDUs tagged 1..count, in one write. */
    private void peerSends(int count) throws Exception {
        ByteBuffer all = ByteBuffer.allocate(count * Pdus.BHS);
        for (int tag = 1; tag <= count; tag++) {
            all.put((tag - 1) * Pdus.BHS, (byte) 0x20).putInt((tag - 1) * Pdus.BHS + 16, tag);
        }
        peer.getOutputStream().write(all.array());
        peer.getOutputStream().flush();
    }

    /** The tags of the next {@code count} header-only PDUs the peer reads. */
    private int[] peerReads(int count) throws Exception {
        DataInputStream in = new DataInputStream(peer.getInputStream());
        int[] tags = new int[count];
        byte[] h = new byte[Pdus.BHS];
        for (int i = 0; i < count; i++) {
            in.readFully(h);
            tags[i] = ByteBuffer.wrap(h).getInt(16);
        }
        return tags;
    }

    /** Answers each received PDU with a NOP-Out of the same tag, posted from inside received(). */
    private static class Echo implements TransportListener {
        final CompletableFuture<TransportConnection> connection = new CompletableFuture<>();
        final AtomicInteger received = new AtomicInteger();

        @Override
        public void received(PduBuffer pdu) {
            int tag = Pdus.tag(pdu.header());
            pdu.release();
            received.incrementAndGet();
            reply(connection.join(), tag);
        }

        void reply(TransportConnection c, int tag) {
            c.post(Pdus.build(c, Pdus.OP_NOP_OUT, tag, 0, 0));
        }

        @Override
        public void closed(Throwable cause) {
        }
    }

    @Test
    void repliesToOneReadLeaveInOneWrite() throws Exception {
        Echo echo = new Echo();
        TcpConnection c = connect(echo);
        echo.connection.complete(c);
        peerSends(BATCH);
        int[] tags = peerReads(BATCH);
        assertRepliesInOrder(tags);
        // one read of the 40 PDUs is usual on loopback; a split read costs one write more
        long flushes = c.heldFlushes();
        assertTrue(flushes >= 1 && flushes <= 3, BATCH + " replies took " + flushes + " batched writes");
        waitFor(() -> c.buffersOutstanding() == 0, "every held PDU released after writing");
    }

    @Test
    void aSendAfterHeldPostsKeepsTheirOrder() throws Exception {
        Echo echo = new Echo() {
            @Override
            void reply(TransportConnection c, int tag) {
                super.reply(c, tag);
                if (tag == BATCH) {
                    c.send(Pdus.build(c, Pdus.OP_NOP_OUT, 999, 0, 0)); // send() writes through MINA's queue
                }
            }
        };
        TcpConnection c = connect(echo);
        echo.connection.complete(c);
        peerSends(BATCH);
        int[] tags = peerReads(BATCH + 1);
        assertRepliesInOrder(tags);
        assertEquals(999, tags[BATCH], "the sent PDU must follow the posted ones");
    }

    @Test
    void closingWithHeldPostsReleasesThem() throws Exception {
        Echo echo = new Echo() {
            @Override
            void reply(TransportConnection c, int tag) {
                super.reply(c, tag);
                if (tag == 5) {
                    c.close();
                }
            }
        };
        TcpConnection c = connect(echo);
        echo.connection.complete(c);
        peerSends(BATCH);
        c.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
        waitFor(() -> c.buffersOutstanding() == 0, "held PDUs released at close");
        assertEquals(0, c.queuedSendBytes());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** The first BATCH tags are the peer's 1..BATCH, in order. */
    private static void assertRepliesInOrder(int[] tags) {
        for (int i = 0; i < BATCH; i++) {
            assertEquals(i + 1, tags[i], "reply " + i + " out of order");
        }
    }
}

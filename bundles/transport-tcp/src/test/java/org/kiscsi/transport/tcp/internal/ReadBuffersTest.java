package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.IoBufferAllocator;
import org.apache.mina.core.buffer.SimpleBufferAllocator;
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
 * The transport reads into direct buffers of its own pool, and leaves MINA's JVM-wide buffer
 * allocator as it found it: other MINA users in the same framework keep theirs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadBuffersTest {
    private static final int ROUNDS = 400;

    @Test
    void readsUseTheTransportsOwnPooledDirectBuffersAndLeaveMinasAllocatorAlone() throws Exception {
        IoBufferAllocator before = IoBuffer.getAllocator();
        boolean directBefore = IoBuffer.isUseDirectBuffer();
        try (ServerSocket server = new ServerSocket();
                TcpTransport tcp = new TcpTransport(TcpOptions.DEFAULTS.withCheckAhsEntries(false))) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<TransportConnection> connection = new CompletableFuture<>();
            TransportListener echo = new TransportListener() {
                @Override
                public void received(PduBuffer pdu) {
                    int tag = Pdus.tag(pdu.header());
                    pdu.release();
                    TransportConnection c = connection.join();
                    c.post(Pdus.build(c, Pdus.OP_NOP_OUT, tag, 0, 0));
                }

                @Override
                public void closed(Throwable cause) {
                }
            };
            Portal p = Portal.of(InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort());
            CompletableFuture<TransportConnection> c = tcp.connect(ConnectRequest.to(p, Duration.ofSeconds(5)), echo).toCompletableFuture();
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(10_000);
                TcpConnection tc = (TcpConnection) c.get(5, TimeUnit.SECONDS);
                connection.complete(tc);
                OutputStream out = peer.getOutputStream();
                DataInputStream in = new DataInputStream(peer.getInputStream());
                byte[] reply = new byte[Pdus.BHS];
                // a closed loop: every PDU is a read of its own on the transport's side
                for (int tag = 1; tag <= ROUNDS; tag++) {
                    ByteBuffer nop = ByteBuffer.allocate(Pdus.BHS).put(0, (byte) 0x20).putInt(16, tag);
                    out.write(nop.array());
                    out.flush();
                    in.readFully(reply);
                    assertEquals(tag, ByteBuffer.wrap(reply).getInt(16));
                }
                long created = tc.readBuffers().created();
                assertTrue(created >= 1, "the reads went into the transport's own direct buffers");
                assertTrue(created <= 8, ROUNDS + " reads allocated " + created + " direct buffers: the pool does not pool");
            }
        }
        assertSame(before, IoBuffer.getAllocator(), "MINA's JVM-wide allocator was replaced");
        assertEquals(directBefore, IoBuffer.isUseDirectBuffer(), "MINA's JVM-wide direct-buffer setting was changed");
        // nothing else in this JVM sets them: MINA's defaults, which the old code replaced
        assertInstanceOf(SimpleBufferAllocator.class, IoBuffer.getAllocator());
        assertFalse(IoBuffer.isUseDirectBuffer());
    }

    @Test
    void aPoolHandsOutDirectBuffersAndTakesBackOnlyItsOwnSizes() {
        ReadBuffers pool = new ReadBuffers(true);
        ByteBuffer b = pool.take(MinaBypass.FIRST_READ);
        assertTrue(b.isDirect());
        assertEquals(MinaBypass.FIRST_READ, b.remaining());
        pool.give(b);
        assertSame(b, pool.take(MinaBypass.FIRST_READ), "given back, taken again");
        pool.give(ByteBuffer.allocate(MinaBypass.FIRST_READ)); // a heap buffer of a pooled size (a test's) stays out
        assertTrue(pool.take(MinaBypass.FIRST_READ).isDirect());
        assertEquals(2, pool.created());
        ByteBuffer header = pool.take(60);
        assertEquals(60, header.remaining(), "a header read ahead takes the smallest class, limited to what it asks");
        assertFalse(new ReadBuffers(false).take(4096).isDirect(), "pooling off: a heap buffer per read");
    }
}

package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;

/** What send() accepts, refuses and how it frames buffers allocated under other settings. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendPathTest {
    private TcpTransport tcp;
    private TcpEchoPeer peer;
    private RecordingListener l;
    private TransportConnection c;

    @BeforeEach
    void connect() throws Exception {
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withCheckAhsEntries(false));
        peer = TcpEchoPeer.onLoopback();
        l = new RecordingListener();
        c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        tcp.close();
        peer.close();
    }

    @Test
    void buffersAllocatedBeforeDigestsWereOnAreFramedWithThem() throws Exception {
        PduBuffer early = Pdus.build(c, Pdus.OP_NOP_OUT, 1, 2, 5000); // no room for a header digest
        LinkSettings digests = new LinkSettings(true, true, 65536);
        peer.configure(digests);
        c.configure(digests);
        c.send(early).toCompletableFuture().get(5, TimeUnit.SECONDS);
        PduBuffer back = l.next(5_000);
        assertNotNull(back, "no echo: " + peer.problems);
        assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, 1, 2, 5000));
        back.release();
        assertTrue(peer.problems.isEmpty(), peer.problems.toString());
    }

    @Test
    void wrapsTheCallersDataSegment() throws Exception {
        LinkSettings digests = new LinkSettings(true, true, 65536);
        peer.configure(digests);
        c.configure(digests);
        ByteBuffer segment = ByteBuffer.allocateDirect(10_001);
        for (int i = 0; i < segment.capacity(); i++) {
            segment.put(i, (byte) (7 * 31 + i));
        }
        PduBuffer p = c.allocate(0, segment.duplicate());
        assertEquals(10_001, p.data().limit());
        p.header().put(0, (byte) Pdus.OP_NOP_OUT);
        Framing.setLengths(p.header(), 0, 10_001);
        p.header().putInt(16, 7);
        c.send(p).toCompletableFuture().get(5, TimeUnit.SECONDS);
        PduBuffer back = l.next(5_000);
        assertNotNull(back, "no echo: " + peer.problems);
        assertEquals(10_001, back.data().limit());
        for (int i = 0; i < 10_001; i++) {
            if (back.data().get(i) != (byte) (7 * 31 + i)) {
                throw new AssertionError("data byte " + i + " differs");
            }
        }
        back.release();
        assertEquals(0, c.buffersOutstanding());
    }

    @Test
    void foreignBuffersAreCopiedAndReleased() throws Exception {
        AtomicInteger released = new AtomicInteger();
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) Pdus.OP_NOP_OUT);
        Framing.setLengths(h, 0, 3);
        h.putInt(16, 42);
        ByteBuffer d = ByteBuffer.wrap(new byte[] {1, 2, 3});
        PduBuffer foreign = new PduBuffer() {
            @Override
            public ByteBuffer header() {
                return h;
            }

            @Override
            public ByteBuffer data() {
                return d;
            }

            @Override
            public void release() {
                released.incrementAndGet();
            }
        };
        c.send(foreign).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(1, released.get(), "send takes ownership: the foreign buffer must be released once");
        PduBuffer back = l.next(5_000);
        assertNotNull(back);
        assertEquals(42, Pdus.tag(back.header()));
        assertEquals(3, back.data().limit());
        back.release();
        assertEquals(0, c.buffersOutstanding());
    }

    @Test
    void refusesInconsistentOrReusedBuffersWithoutClosing() throws Exception {
        PduBuffer p = c.allocate(0, 100);
        Framing.setLengths(p.header(), 0, 99);
        IscsiException e = sendFails(p);
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().contains("DataSegmentLength says 99"), e.getMessage());
        assertEquals(0, c.buffersOutstanding(), "a refused buffer is released");

        PduBuffer q = Pdus.build(c, Pdus.OP_NOP_OUT, 2, 0, 10);
        c.send(q).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(IscsiError.INVAL, sendFails(q).error(), "a buffer cannot be sent twice");
        assertTrue(c.isOpen());
        l.next(5_000).release();
        EchoRoundTrip.check(c, l, 1);
    }

    private IscsiException sendFails(PduBuffer p) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.send(p).toCompletableFuture().get(5, TimeUnit.SECONDS));
        return assertInstanceOf(IscsiException.class, e.getCause());
    }
}

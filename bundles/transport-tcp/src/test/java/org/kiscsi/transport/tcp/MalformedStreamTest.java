package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.transport.tcp.FramingException.Problem;

/** A peer sending bytes that cannot be framed: the connection closes with a typed error saying where. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedStreamTest {
    private static final long WAIT_MS = 5_000;
    private static final LinkSettings DIGESTS = new LinkSettings(true, true, 65536);

    private TcpTransport tcp;
    private ScriptedPeer peer;
    private RecordingListener listener;
    private TransportConnection c;

    @BeforeEach
    void connect() throws Exception {
        tcp = new TcpTransport();
        peer = new ScriptedPeer();
        listener = new RecordingListener();
        c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), listener).toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        peer.socket();
    }

    @AfterEach
    void close() throws Exception {
        peer.close();
        tcp.close();
    }

    @Test
    void headerDigestMismatchClosesAfterTheGoodPdus() throws Exception {
        c.configure(DIGESTS);
        byte[] good = WireFrames.nopIn(1, 100, true, true);
        byte[] bad = WireFrames.frame(WireFrames.header(WireFrames.OP_NOP_IN, 2, new byte[0], 10), WireFrames.data(2, 10), true, true, 0x100, 0);
        peer.write(WireFrames.concat(good, bad));

        PduBuffer first = listener.next(WAIT_MS);
        assertNotNull(first, "the PDU before the bad one must be delivered");
        first.release();
        FramingException e = closedWith(Problem.HEADER_DIGEST);
        assertEquals(2, e.pduNumber());
        assertEquals(good.length, e.pduOffset());
        assertTrue(e.getMessage().contains(c.remoteAddress()), e.getMessage());
        assertNull(listener.next(200), "nothing may follow closed()");
        assertClosedCleanly();
    }

    @Test
    void dataDigestMismatchDeliversTheMarkedPduAndStaysUp() throws Exception {
        c.configure(DIGESTS);
        byte[] bad = WireFrames.frame(WireFrames.header(WireFrames.OP_NOP_IN, 1, new byte[0], 30), WireFrames.data(1, 30), true, true, 0, 1);
        peer.write(WireFrames.concat(bad, WireFrames.nopIn(2, 30, true, true)));

        PduBuffer marked = listener.next(WAIT_MS);
        assertNotNull(marked);
        assertFalse(marked.dataDigestOk(), "a data digest mismatch must be reported on the PDU");
        marked.release();
        PduBuffer next = listener.next(WAIT_MS);
        assertNotNull(next, "the connection must stay up after a data digest mismatch");
        assertTrue(next.dataDigestOk());
        next.release();
        assertTrue(c.isOpen());
        assertFalse(listener.closed.isDone());
        assertEquals(0, c.buffersOutstanding());
    }

    @Test
    void oversizedDataSegmentCloses() throws Exception {
        c.configure(LinkSettings.LOGIN);
        peer.write(WireFrames.nopIn(1, 8193, false, false));
        FramingException e = closedWith(Problem.DATA_SEGMENT_TOO_LONG);
        assertTrue(e.getMessage().contains("DataSegmentLength 8193 exceeds MaxRecvDataSegmentLength 8192"), e.getMessage());
        assertEquals(1, e.pduNumber());
        assertClosedCleanly();
    }

    @Test
    void truncatedPduAtCloseIsReported() throws Exception {
        byte[] whole = WireFrames.nopIn(1, 100, false, false);
        byte[] part = java.util.Arrays.copyOf(whole, 70);
        peer.write(WireFrames.concat(WireFrames.nopIn(0, 0, false, false), part));
        peer.closeConnection();
        PduBuffer first = listener.next(WAIT_MS);
        assertNotNull(first);
        first.release();
        FramingException e = closedWith(Problem.TRUNCATED);
        assertEquals(2, e.pduNumber());
        assertTrue(e.getMessage().contains("after 70 bytes of 148 bytes"), e.getMessage());
        c.closeFuture().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertFalse(c.isOpen());
        assertEquals(0, c.buffersOutstanding());
        assertTrue(listener.violations().isEmpty(), listener.violations().toString());
    }

    @Test
    void inconsistentAhsCloses() throws Exception {
        byte[] ahs = new byte[8];
        ahs[1] = 40; // AHSLength 40 in an 8-byte AHS
        peer.write(WireFrames.frame(WireFrames.header(WireFrames.OP_NOP_IN, 1, ahs, 0), new byte[0], false, false));
        FramingException e = closedWith(Problem.AHS_INCONSISTENT);
        assertTrue(e.getMessage().contains("AHSLength 40"), e.getMessage());
        assertClosedCleanly();
    }

    private FramingException closedWith(Problem problem) throws Exception {
        Throwable cause = listener.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
        FramingException e = assertInstanceOf(FramingException.class, cause, "closed() must carry a FramingException");
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals(IscsiError.TRANS, e.error());
        assertTrue(e.getMessage().contains(peer.portal().hostPort()), "message must name the peer: " + e.getMessage());
        return e;
    }

    /** Closed on this side: listener, buffers, and the socket (the peer reads end of stream). */
    private void assertClosedCleanly() throws Exception {
        c.closeFuture().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertFalse(c.isOpen());
        assertEquals(0, c.buffersOutstanding());
        assertTrue(listener.violations().isEmpty(), listener.violations().toString());
        peer.socket().setSoTimeout((int) WAIT_MS);
        assertEquals(-1, peer.socket().getInputStream().read());
    }
}

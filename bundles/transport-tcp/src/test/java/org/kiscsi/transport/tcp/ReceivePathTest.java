package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;

/** Delivery rules: placement, settings switched from received(), a failing listener, close while suspended. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReceivePathTest {
    private static final long WAIT_MS = 5_000;
    private TcpTransport tcp;
    private ScriptedPeer peer;

    @BeforeEach
    void setUp() throws Exception {
        tcp = new TcpTransport();
        peer = new ScriptedPeer();
    }

    @AfterEach
    void close() throws Exception {
        peer.close();
        tcp.close();
    }

    private TransportConnection connect(RecordingListener l) throws Exception {
        TransportConnection c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l).toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        peer.socket();
        return c;
    }

    @Test
    void placesDataSegmentsInTheListenersBuffer() throws Exception {
        ByteBuffer region = ByteBuffer.allocateDirect(1 << 20);
        RecordingListener l = new RecordingListener() {
            @Override
            public ByteBuffer placementFor(ByteBuffer header) {
                return region.duplicate().position(Pdus.tag(header) * 65536);
            }
        };
        connect(l);
        peer.write(WireFrames.concat(WireFrames.nopIn(1, 30_000, false, false), WireFrames.nopIn(2, 777, false, false)));
        for (int tag = 1; tag <= 2; tag++) {
            PduBuffer p = l.next(WAIT_MS);
            assertNotNull(p);
            assertTrue(p.data().isDirect(), "data must live in the listener's (direct) buffer");
            byte[] expected = WireFrames.data(tag, tag == 1 ? 30_000 : 777);
            for (int i = 0; i < expected.length; i++) {
                if (region.get(tag * 65536 + i) != expected[i]) {
                    throw new AssertionError("byte " + i + " of PDU " + tag + " not placed");
                }
            }
            assertEquals(expected.length, p.data().limit());
            p.release();
        }
    }

    /**
     * A run of large data segments with digests and padding over a real socket, as large reads bring
     * them: each segment is read straight into its place, and the read that completes it goes on into
     * the next header, however the stream is cut.
     */
    @Test
    void aRunOfLargeSegmentsWithDigestsLandsInPlace() throws Exception {
        int count = 8;
        int len = 200_001; // 3 bytes of padding
        ByteBuffer region = ByteBuffer.allocateDirect(count * 262_144);
        RecordingListener l = new RecordingListener() {
            @Override
            public ByteBuffer placementFor(ByteBuffer header) {
                return region.duplicate().position(Pdus.tag(header) * 262_144);
            }
        };
        TransportConnection c = connect(l);
        c.configure(new LinkSettings(true, true, 1 << 20));
        byte[][] pdus = new byte[count + 1][];
        for (int tag = 0; tag < count; tag++) {
            pdus[tag] = WireFrames.nopIn(tag, len, true, true);
        }
        pdus[count] = WireFrames.nopIn(count, 0, true, true);
        peer.write(WireFrames.concat(pdus));
        for (int tag = 0; tag <= count; tag++) {
            PduBuffer p = l.next(WAIT_MS);
            assertNotNull(p, "PDU " + tag);
            assertTrue(p.dataDigestOk(), "PDU " + tag + ": the data digest covers the bytes read into place");
            if (tag < count) {
                assertTrue(p.data().isDirect(), "data must live in the listener's (direct) buffer");
                byte[] expected = WireFrames.data(tag, len);
                for (int i = 0; i < len; i++) {
                    if (region.get(tag * 262_144 + i) != expected[i]) {
                        throw new AssertionError("byte " + i + " of PDU " + tag + " not placed");
                    }
                }
                assertEquals(len, p.data().limit());
            }
            p.release();
        }
    }

    @Test
    void settingsConfiguredFromReceivedApplyFromTheNextPdu() throws Exception {
        LinkSettings digests = new LinkSettings(true, true, 65536);
        TransportConnection[] conn = new TransportConnection[1];
        RecordingListener l = new RecordingListener() {
            @Override
            public void received(PduBuffer pdu) {
                if (Pdus.tag(pdu.header()) == 1) {
                    conn[0].configure(digests); // like the engine after the final Login Response
                }
                super.received(pdu);
            }
        };
        conn[0] = connect(l);
        // both PDUs in one write: the switch must happen exactly between them
        peer.write(WireFrames.concat(WireFrames.nopIn(1, 10, false, false), WireFrames.nopIn(2, 10, true, true)));
        PduBuffer first = l.next(WAIT_MS);
        PduBuffer second = l.next(WAIT_MS);
        assertNotNull(second, "second PDU lost: " + l.closed.getNow(null));
        assertEquals(2, Pdus.tag(second.header()));
        assertTrue(second.dataDigestOk());
        first.release();
        second.release();
    }

    @Test
    void aListenerThatThrowsClosesTheConnection() throws Exception {
        RecordingListener l = new RecordingListener() {
            @Override
            public void received(PduBuffer pdu) {
                pdu.release();
                throw new IllegalStateException("engine bug");
            }
        };
        TransportConnection c = connect(l);
        peer.write(WireFrames.nopIn(1, 0, false, false));
        Throwable cause = l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
        IscsiException e = assertInstanceOf(IscsiException.class, cause);
        assertEquals(IscsiError.INTERNAL, e.error());
        assertTrue(e.getMessage().contains("engine bug") && e.getMessage().contains(c.remoteAddress()), e.getMessage());
        assertFalse(c.isOpen());
    }

    @Test
    void aPeerCloseWhileSuspendedComesAfterTheQueuedPdus() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        c.suspendReceive();
        peer.write(WireFrames.concat(WireFrames.nopIn(1, 100, false, false), WireFrames.nopIn(2, 100, false, false)));
        peer.closeConnection();
        assertNull(l.next(300));
        assertFalse(l.closed.isDone(), "closed() must wait behind PDUs not yet delivered");
        c.resumeReceive();
        for (int tag = 1; tag <= 2; tag++) {
            PduBuffer p = l.next(WAIT_MS);
            assertNotNull(p, "PDU " + tag + " sent before the close was lost");
            assertEquals(tag, Pdus.tag(p.header()));
            p.release();
        }
        IscsiException e = assertInstanceOf(IscsiException.class, l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(IscsiError.TRANS, e.error());
        assertEquals("connection closed by " + c.remoteAddress(), e.getMessage());
        assertSame(null, l.next(100));
        assertTrue(l.violations().isEmpty(), l.violations().toString());
    }
}

package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportListener;

/**
 * Large data segments bound for a listener's direct buffer are read from the socket straight into
 * it once the bytes read are used up: here the "socket" is a byte array the owner hands out.
 */
class InboundDirectReadTest {
    private static byte[] pdu(int tag, int dataLength, boolean dataDigest) {
        ByteBuffer h = ByteBuffer.allocate(Framing.BHS_LENGTH);
        h.put(0, (byte) 0x20).put(1, (byte) 0x80).putInt(16, tag);
        Framing.setLengths(h, 0, dataLength);
        byte[] data = new byte[dataLength];
        for (int i = 0; i < dataLength; i++) {
            data[i] = (byte) (tag * 7 + i * 13);
        }
        int pad = Framing.padding(dataLength);
        ByteBuffer out = ByteBuffer.allocate(48 + dataLength + pad + (dataDigest ? 4 : 0));
        out.put(h.array()).put(data).put(new byte[pad]);
        if (dataDigest) {
            Framing.putDigest(out, Framing.dataDigest(ByteBuffer.wrap(data)));
        }
        return out.array();
    }

    @Test
    void largeSegmentsAreReadStraightIntoTheDestination() {
        byte[] one = pdu(1, 300_001, true);
        byte[] two = pdu(2, 100, true);
        ByteBuffer socket = ByteBuffer.allocate(one.length + two.length).put(one).put(two).flip();
        ByteBuffer region = ByteBuffer.allocateDirect(1 << 20);
        List<PduBuffer> got = new ArrayList<>();
        int[] directCalls = {0};
        TransportListener listener = new TransportListener() {
            @Override
            public void received(PduBuffer pdu) {
                got.add(pdu);
            }

            @Override
            public void closed(Throwable cause) {
            }

            @Override
            public ByteBuffer placementFor(ByteBuffer header) {
                return region.duplicate().position(header.getInt(16) == 1 ? 0 : 512 * 1024);
            }
        };
        Inbound.Owner owner = new Inbound.Owner() {
            @Override
            public int readDirect(ByteBuffer dst) {
                directCalls[0]++;
                // the socket has at most 64 KiB ready at a time, as loopback TCP hands out segments
                int n = Math.min(Math.min(dst.remaining(), socket.remaining()), 65536);
                dst.put(socket.slice(socket.position(), n));
                socket.position(socket.position() + n);
                return n;
            }

            @Override
            public void readPaused(boolean paused) {
            }

            @Override
            public void fatal() {
                throw new AssertionError("fatal");
            }

            @Override
            public void closedDelivered() {
            }
        };
        Inbound in = new Inbound(listener, new PduDecoder("test", true), () -> new LinkSettings(false, true, 1 << 20),
                new BufferCount(), owner, "test");
        in.start();
        // the first read: the header and the first 1000 data bytes
        byte[] first = new byte[48 + 1000];
        socket.get(first);
        in.bytes(ByteBuffer.wrap(first));
        assertEquals(1, directCalls[0], "a short direct read means the socket is empty: no second read");
        assertTrue(in.straightPending(), "the segment is under way: the next bytes go straight to it");
        // each later wake-up of the I/O thread reads straight into the segment, no read buffer
        int wakeUps = 0;
        while (in.readStraight()) {
            wakeUps++;
        }
        assertEquals(3, wakeUps, "299 001 bytes in reads of at most 64 KiB: one in bytes(), three empty the socket, the last completes");
        assertEquals(5, directCalls[0]);
        assertFalse(in.straightPending());
        assertEquals(3 + 4 + 48, in.readCap(), "the socket was not ahead (reads of 64 KiB): the next read takes the padding, the digest and the next header, no further");
        // the data segment's rest came straight from the socket; its padding and digest are still there
        assertEquals(0, got.size(), "the PDU is complete only with its data digest");
        assertEquals(48 + 300_001, socket.position(), "exactly the data segment was read directly");
        // the next read brings the padding, the digest and the next PDU
        byte[] rest = new byte[socket.remaining()];
        socket.get(rest);
        in.bytes(ByteBuffer.wrap(rest));
        PduBuffer p = got.get(0);
        assertTrue(p.dataDigestOk(), "the digest covers the directly read bytes");
        assertEquals(300_001, p.data().remaining());
        for (int i = 0; i < 300_001; i++) {
            if (region.get(i) != (byte) (7 + i * 13)) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
        assertEquals(2, got.size());
        assertNotNull(got.get(1));
        assertTrue(got.get(1).dataDigestOk());
        assertSame(Boolean.TRUE, got.get(1).data().isDirect(), "small segments go to the listener's buffer too");
    }

    /**
     * Runs of large segments, as large reads bring them: the next header is read in the same pass
     * as the segment before it, and its segment straight after it, so one wake-up reads as many
     * PDUs as the socket holds.
     */
    @Test
    void aRunOfLargeSegmentsIsReadInOnePassAsFarAsTheSocketHoldsIt() {
        int count = 4;
        int len = 256 * 1024;
        ByteBuffer socket = ByteBuffer.allocate(count * (48 + len));
        for (int i = 0; i < count; i++) {
            socket.put(pdu(i, len, false));
        }
        socket.flip();
        ByteBuffer region = ByteBuffer.allocateDirect(count * len);
        List<PduBuffer> got = new ArrayList<>();
        int[] reads = {0};
        int[] ready = {socket.limit() - 40_000}; // the last 40 000 bytes come later
        TransportListener listener = new TransportListener() {
            @Override
            public void received(PduBuffer pdu) {
                got.add(pdu);
            }

            @Override
            public void closed(Throwable cause) {
            }

            @Override
            public ByteBuffer placementFor(ByteBuffer header) {
                return region.duplicate().position(header.getInt(16) * len);
            }
        };
        Inbound.Owner owner = new Inbound.Owner() {
            @Override
            public int readDirect(ByteBuffer dst) {
                reads[0]++;
                int n = Math.min(dst.remaining(), ready[0] - socket.position());
                dst.put(socket.slice(socket.position(), n));
                socket.position(socket.position() + n);
                return n;
            }

            @Override
            public void readPaused(boolean paused) {
            }

            @Override
            public void fatal() {
                throw new AssertionError("fatal");
            }

            @Override
            public void closedDelivered() {
            }
        };
        Inbound in = new Inbound(listener, new PduDecoder("test", true), () -> new LinkSettings(false, false, 1 << 20),
                new BufferCount(), owner, "test");
        in.start();
        byte[] first = new byte[48];
        socket.get(first);
        in.bytes(ByteBuffer.wrap(first)); // the read of the first header: the rest follows in this same pass
        assertEquals(3, got.size(), "three PDUs complete in one pass");
        assertTrue(in.straightPending(), "the fourth is under way");
        assertEquals(3 * 2 + 1, reads[0], "a read per data segment and per header, and the short one of the fourth");
        ready[0] = socket.limit();
        assertFalse(in.readStraight(), "the rest completes it; the socket is then empty");
        assertEquals(4, got.size());
        assertEquals(3 * 2 + 1 + 1, reads[0], "its rest only: 40 000 bytes, the socket was not ahead, so no read for a next header");
        for (int i = 0; i < count; i++) {
            assertEquals(len, got.get(i).data().remaining());
            assertEquals((byte) (i * 7 + 5 * 13), region.get(i * len + 5));
        }
    }

    @Test
    void theEndOfTheStreamDuringADirectReadIsLeftForMinaToSee() {
        byte[] one = pdu(1, 100_000, false);
        ByteBuffer region = ByteBuffer.allocateDirect(1 << 20);
        int[] reads = {0};
        TransportListener listener = new TransportListener() {
            @Override
            public void received(PduBuffer pdu) {
                throw new AssertionError("nothing complete arrived");
            }

            @Override
            public void closed(Throwable cause) {
            }

            @Override
            public ByteBuffer placementFor(ByteBuffer header) {
                return region.duplicate();
            }
        };
        Inbound.Owner owner = new Inbound.Owner() {
            @Override
            public int readDirect(ByteBuffer dst) {
                return ++reads[0] == 1 ? 0 : -1; // nothing yet, then the peer's FIN
            }

            @Override
            public void readPaused(boolean paused) {
            }

            @Override
            public void fatal() {
            }

            @Override
            public void closedDelivered() {
            }
        };
        Inbound in = new Inbound(listener, new PduDecoder("test", true), () -> new LinkSettings(false, false, 1 << 20),
                new BufferCount(), owner, "test");
        in.start();
        in.bytes(ByteBuffer.wrap(java.util.Arrays.copyOf(one, 48 + 10)));
        assertTrue(in.straightPending());
        assertFalse(in.readStraight(), "at the end of the stream the normal read must happen, or the socket stays readable forever");
        assertFalse(in.straightPending());
        assertEquals(2, reads[0]);
    }
}

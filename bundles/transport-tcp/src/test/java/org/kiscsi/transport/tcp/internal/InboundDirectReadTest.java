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

    /**
     * A scattering read of the "socket" {@code socket} as the kernel does it: into {@code dst}, then
     * on into {@code then}, as far as {@code ready} (bytes of the stream that have arrived).
     */
    static int scatter(ByteBuffer socket, int ready, ByteBuffer dst, ByteBuffer then) {
        int total = 0;
        for (ByteBuffer b : new ByteBuffer[] {dst, then}) {
            int n = Math.min(b.remaining(), Math.min(ready, socket.limit()) - socket.position());
            if (n <= 0) {
                break;
            }
            b.put(socket.slice(socket.position(), n));
            socket.position(socket.position() + n);
            total += n;
        }
        return total;
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
            public int readDirect(ByteBuffer dst, ByteBuffer then) {
                directCalls[0]++;
                // the socket has at most 64 KiB ready at a time, as loopback TCP hands out segments
                return scatter(socket, socket.position() + 65536, dst, then);
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
        // the read that completed the segment went on through its padding and digest and the next header, no further
        assertEquals(48 + 300_001 + 3 + 4 + 48, socket.position());
        assertEquals(1, got.size(), "complete with its data digest, read in the same call");
        assertEquals(0, in.readCap(), "the next PDU's data segment is under way: no cap");
        // the next read brings the rest of the next PDU
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
     * Runs of large segments, as large reads bring them: the next header is read in the same system
     * call as the segment before it, and its segment straight after it, so one wake-up reads as many
     * PDUs as the socket holds, one call each.
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
            public int readDirect(ByteBuffer dst, ByteBuffer then) {
                reads[0]++;
                return scatter(socket, ready[0], dst, then);
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
        assertEquals(3 + 1, reads[0], "one read per data segment with the next header, and the short one of the fourth");
        ready[0] = socket.limit();
        assertFalse(in.readStraight(), "the rest completes it; the socket is then empty");
        assertEquals(4, got.size());
        assertEquals(3 + 1 + 1, reads[0], "its rest, and no read of its own for a next header that is not there");
        for (int i = 0; i < count; i++) {
            assertEquals(len, got.get(i).data().remaining());
            assertEquals((byte) (i * 7 + 5 * 13), region.get(i * len + 5));
        }
    }

    /** As {@link #pdu}, with a header digest after the basic header segment. */
    private static byte[] pduWithHeaderDigest(int tag, int dataLength) {
        byte[] plain = pdu(tag, dataLength, true);
        ByteBuffer out = ByteBuffer.allocate(plain.length + 4);
        out.put(plain, 0, 48);
        Framing.putDigest(out, Framing.crc32c(ByteBuffer.wrap(plain, 0, 48)));
        return out.put(plain, 48, plain.length - 48).array();
    }

    /**
     * Data-In across read boundaries: the scattering read that completes one segment gets only part
     * of the next header; the next read is capped at that header's end (its digest included), so the
     * segment after it still goes straight to its place, and every byte lands where it belongs.
     */
    @Test
    void aNextHeaderSplitAcrossReadsIsFramedWholeAndItsSegmentStillGoesStraightToItsPlace() {
        int len = 100_001; // 3 bytes of padding
        ByteBuffer socket = ByteBuffer.allocate(2 * (52 + len + 3 + 4));
        socket.put(pduWithHeaderDigest(0, len)).put(pduWithHeaderDigest(1, len)).flip();
        ByteBuffer region = ByteBuffer.allocateDirect(2 * len);
        List<PduBuffer> got = new ArrayList<>();
        int[] reads = {0};
        int firstEnd = 52 + len + 3 + 4;
        int[] ready = {firstEnd + 20}; // the next header's first 20 bytes have arrived
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
            public int readDirect(ByteBuffer dst, ByteBuffer then) {
                reads[0]++;
                return scatter(socket, ready[0], dst, then);
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
        ReadBuffers pool = new ReadBuffers(true);
        Inbound in = new Inbound(listener, new PduDecoder("test", true), () -> new LinkSettings(true, true, 1 << 20),
                new BufferCount(), owner, "test", pool);
        in.start();
        byte[] first = new byte[52];
        socket.get(first);
        in.bytes(ByteBuffer.wrap(first));
        assertEquals(1, reads[0], "the segment, its padding and digest, and the 20 bytes there are of the next header: one read");
        assertEquals(1, got.size(), "the first PDU is complete, its data digest checked");
        assertTrue(got.get(0).dataDigestOk());
        assertFalse(in.straightPending(), "the next header is incomplete: no destination yet");
        assertEquals(28 + 4, in.readCap(), "the next read stops at the end of that header and its digest");
        // what the next (capped) read of the socket brings
        ready[0] = socket.limit();
        byte[] rest = new byte[in.readCap()];
        socket.get(rest);
        in.bytes(ByteBuffer.wrap(rest));
        assertEquals(2, got.size());
        assertEquals(2, reads[0], "the second segment went straight to its place in one read");
        assertTrue(got.get(1).dataDigestOk(), "the digest covers the bytes read straight into place");
        assertEquals(socket.limit(), socket.position());
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < len; i++) {
                if (region.get(t * len + i) != (byte) (t * 7 + i * 13)) {
                    throw new AssertionError("PDU " + t + " byte " + i + " differs");
                }
            }
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

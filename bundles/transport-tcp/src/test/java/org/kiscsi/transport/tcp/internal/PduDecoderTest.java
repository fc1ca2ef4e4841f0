package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.transport.tcp.FramingException;
import org.kiscsi.transport.tcp.FramingException.Problem;

/** Framing of a received byte stream, without sockets. */
class PduDecoderTest {
    private static final String PEER = "192.0.2.7:3260";
    private static final LinkSettings PLAIN = new LinkSettings(false, false, 65536);
    private static final LinkSettings DIGESTS = new LinkSettings(true, true, 65536);
    private static final PduDecoder.Placement ANYWHERE = h -> null;

    private final PduDecoder decoder = new PduDecoder(PEER, true);

    @Test
    void framesPdusSplitAtEveryByte() throws Exception {
        byte[] a = wire(0x20, 1, ahs(1, 5), 7, DIGESTS);
        byte[] b = wire(0x21, 2, new byte[0], 0, DIGESTS);
        byte[] c = wire(0x25, 3, new byte[0], 8192, DIGESTS);
        byte[] stream = concat(a, b, c);
        List<InboundPdu> out = new ArrayList<>();
        for (byte x : stream) { // one byte per "read"
            ByteBuffer in = ByteBuffer.wrap(new byte[] {x});
            InboundPdu p = decoder.next(in, () -> DIGESTS, ANYWHERE);
            assertFalse(in.hasRemaining());
            if (p != null) {
                out.add(p);
            }
        }
        assertEquals(3, out.size());
        assertEquals(48 + 8, out.get(0).header().limit());
        assertEquals(7, out.get(0).data().limit());
        assertEquals(0, out.get(1).data().limit());
        assertEquals(8192, out.get(2).data().limit());
        assertArrayEquals(data(3, 8192), bytes(out.get(2).data()));
        assertTrue(out.stream().allMatch(InboundPdu::dataDigestOk));
        assertEquals(stream.length, decoder.streamOffset());
        assertFalse(decoder.inPdu());
    }

    @Test
    void takesSeveralPdusFromOneBufferOneAtATime() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(concat(wire(0x20, 1, new byte[0], 3, PLAIN), wire(0x20, 2, new byte[0], 0, PLAIN)));
        assertEquals(1, decoder.next(in, () -> PLAIN, ANYWHERE).header().getInt(16));
        assertTrue(in.hasRemaining());
        assertEquals(2, decoder.next(in, () -> PLAIN, ANYWHERE).header().getInt(16));
        assertNull(decoder.next(in, () -> PLAIN, ANYWHERE));
    }

    @Test
    void headerDigestMismatchNamesPeerPduAndOffset() throws Exception {
        byte[] good = wire(0x20, 1, new byte[0], 10, DIGESTS);
        byte[] bad = wire(0x20, 2, new byte[0], 10, DIGESTS);
        bad[48] ^= 0x01; // first byte of the header digest
        ByteBuffer in = ByteBuffer.wrap(concat(good, bad));
        assertNotNull(decoder.next(in, () -> DIGESTS, ANYWHERE));
        FramingException e = assertThrows(FramingException.class, () -> decoder.next(in, () -> DIGESTS, ANYWHERE));
        assertEquals(Problem.HEADER_DIGEST, e.problem());
        assertEquals(2, e.pduNumber());
        assertEquals(good.length, e.pduOffset());
        assertTrue(e.getMessage().contains(PEER) && e.getMessage().contains("PDU #2")
                && e.getMessage().contains("stream byte " + good.length), e.getMessage());
    }

    @Test
    void dataDigestMismatchIsDeliveredMarked() throws Exception {
        byte[] w = wire(0x20, 1, new byte[0], 10, DIGESTS);
        w[w.length - 1] ^= 0x40;
        InboundPdu p = decoder.next(ByteBuffer.wrap(w), () -> DIGESTS, ANYWHERE);
        assertNotNull(p);
        assertFalse(p.dataDigestOk());
        assertArrayEquals(data(1, 10), bytes(p.data()));
    }

    @Test
    void rejectsDataSegmentsAboveTheLimit() {
        LinkSettings login = LinkSettings.LOGIN;
        FramingException e = assertThrows(FramingException.class,
                () -> decoder.next(ByteBuffer.wrap(wire(0x20, 1, new byte[0], 8193, login)), () -> login, ANYWHERE));
        assertEquals(Problem.DATA_SEGMENT_TOO_LONG, e.problem());
        assertTrue(e.getMessage().contains("8193") && e.getMessage().contains("8192"), e.getMessage());
    }

    @Test
    void rejectsAhsEntriesThatOverrunTotalAhsLength() {
        byte[] ahs = ahs(1, 5); // one 8-byte entry...
        ahs[1] = 9; // ...now claiming 9 bytes (12 padded)
        FramingException e = assertThrows(FramingException.class,
                () -> decoder.next(ByteBuffer.wrap(wire(0x20, 1, ahs, 0, PLAIN)), () -> PLAIN, ANYWHERE));
        assertEquals(Problem.AHS_INCONSISTENT, e.problem());
        assertTrue(e.getMessage().contains("header byte 48"), e.getMessage());
        // the same bytes pass when the check is off
        PduDecoder lax = new PduDecoder(PEER, false);
        assertDoesNotThrowAndFrames(lax, wire(0x20, 1, ahs, 0, PLAIN));
    }

    private static void assertDoesNotThrowAndFrames(PduDecoder d, byte[] w) {
        try {
            assertNotNull(d.next(ByteBuffer.wrap(w), () -> PLAIN, ANYWHERE));
        } catch (FramingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void describesWhereAStreamWasCutOff() throws Exception {
        byte[] w = wire(0x20, 1, new byte[0], 100, PLAIN);
        assertNull(decoder.next(ByteBuffer.wrap(w, 0, 60), () -> PLAIN, ANYWHERE));
        assertTrue(decoder.inPdu());
        FramingException e = decoder.truncated("connection closed by peer", null);
        assertEquals(Problem.TRUNCATED, e.problem());
        assertTrue(e.getMessage().contains("after 60 bytes of 148 bytes"), e.getMessage());
    }

    @Test
    void readsSettingsWhenAPduBegins() throws Exception {
        // the first PDU is framed plain; the switch to digests applies from the second
        LinkSettings[] now = {PLAIN};
        ByteBuffer in = ByteBuffer.wrap(concat(wire(0x20, 1, new byte[0], 4, PLAIN), wire(0x20, 2, new byte[0], 4, DIGESTS)));
        assertNotNull(decoder.next(in, () -> now[0], ANYWHERE));
        now[0] = DIGESTS;
        InboundPdu second = decoder.next(in, () -> now[0], ANYWHERE);
        assertNotNull(second);
        assertTrue(second.dataDigestOk());
        assertFalse(in.hasRemaining());
    }

    @Test
    void placesDataWhereTheListenerAsks() throws Exception {
        ByteBuffer target = ByteBuffer.allocate(4096).position(100);
        InboundPdu p = decoder.next(ByteBuffer.wrap(wire(0x25, 9, new byte[0], 1000, PLAIN)), () -> PLAIN, h -> target);
        assertSame(target.array(), p.data().array(), "data segment must be a view of the listener's buffer");
        assertEquals(0, p.data().position());
        assertEquals(1000, p.data().limit());
        assertArrayEquals(data(9, 1000), java.util.Arrays.copyOfRange(target.array(), 100, 1100));
        // too small a buffer is not used
        InboundPdu q = decoder.next(ByteBuffer.wrap(wire(0x25, 9, new byte[0], 1000, PLAIN)), () -> PLAIN, h -> ByteBuffer.allocate(999));
        assertArrayEquals(data(9, 1000), bytes(q.data()));
    }

    // --- wire bytes built with Framing, independently of the decoder

    static byte[] wire(int opcode, int tag, byte[] ahs, int dataLength, LinkSettings s) {
        ByteBuffer h = ByteBuffer.allocate(48 + ahs.length);
        h.put(0, (byte) opcode);
        Framing.setLengths(h, ahs.length, dataLength);
        h.putInt(16, tag);
        h.put(48, ahs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        if (s.headerDigest()) {
            out.writeBytes(digest(Framing.crc32c(h)));
        }
        byte[] d = data(tag, dataLength);
        out.writeBytes(d);
        out.writeBytes(new byte[Framing.padding(dataLength)]);
        if (s.dataDigest() && dataLength > 0) {
            out.writeBytes(digest(Framing.dataDigest(ByteBuffer.wrap(d))));
        }
        return out.toByteArray();
    }

    /** {@code entries} well-formed AHS entries of {@code specific} bytes each, padded. */
    static byte[] ahs(int entries, int specific) {
        int size = (3 + specific + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(entries * size);
        for (int i = 0; i < entries; i++) {
            b.putShort(i * size, (short) specific);
            b.put(i * size + 2, (byte) 1);
        }
        return b.array();
    }

    static byte[] data(int tag, int length) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) {
            d[i] = (byte) (tag * 31 + i);
        }
        return d;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.limit()];
        b.duplicate().position(0).get(a);
        return a;
    }

    private static byte[] digest(int d) {
        ByteBuffer b = ByteBuffer.allocate(4);
        Framing.putDigest(b, d);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void bytesThroughNextHeaderCountTheTrailerAndTheNextHeader() throws Exception {
        assertEquals(48, decoder.bytesThroughNextHeader(PLAIN), "at a PDU boundary: one basic header");
        assertEquals(52, decoder.bytesThroughNextHeader(DIGESTS), "and its digest");
        byte[] a = wire(0x25, 1, new byte[0], 5, DIGESTS); // 5 data bytes: 3 of padding, then the digest
        ByteBuffer in = ByteBuffer.wrap(a, 0, 48 + 4 + 5);
        assertNull(decoder.next(in, () -> DIGESTS, ANYWHERE));
        assertEquals(3 + 4 + 52, decoder.bytesThroughNextHeader(DIGESTS), "padding, data digest, next header and its digest");
        ByteBuffer part = ByteBuffer.wrap(new byte[20]);
        PduDecoder other = new PduDecoder(PEER, true);
        assertNull(other.next(part, () -> DIGESTS, ANYWHERE));
        assertEquals(28 + 4, other.bytesThroughNextHeader(PLAIN), "inside a header: its rest and its digest, as the PDU's own settings say");
        assertNull(other.next(ByteBuffer.wrap(new byte[28]), () -> DIGESTS, ANYWHERE));
        assertEquals(4, other.bytesThroughNextHeader(PLAIN), "inside the header digest: its rest");
    }

    @Test
    void bytesAfterSegmentCountThePaddingTheDigestAndTheNextHeader() throws Exception {
        assertEquals(0, decoder.bytesAfterSegment(PLAIN), "no data segment under way");
        byte[] a = wire(0x25, 1, new byte[0], 5, DIGESTS);
        assertNull(decoder.next(ByteBuffer.wrap(a, 0, 48 + 4 + 2), () -> DIGESTS, ANYWHERE));
        assertEquals(3 + 4 + 48, decoder.bytesAfterSegment(PLAIN), "padding, data digest, the next header (no digest asked for)");
        assertEquals(3 + 4 + 52, decoder.bytesAfterSegment(DIGESTS));
        PduDecoder plain = new PduDecoder(PEER, true);
        assertNull(plain.next(ByteBuffer.wrap(wire(0x25, 1, new byte[0], 8, PLAIN), 0, 50), () -> PLAIN, ANYWHERE));
        assertEquals(48, plain.bytesAfterSegment(PLAIN), "no padding, no digest: the next header only");
    }
}

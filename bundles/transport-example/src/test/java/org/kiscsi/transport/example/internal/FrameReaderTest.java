package org.kiscsi.transport.example.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;

/** The example's framing on crafted bytes: any split of the stream, digests, and what closes a connection. */
class FrameReaderTest {
    private static final LinkSettings PLAIN = new LinkSettings(false, false, 65536);
    private static final LinkSettings DIGESTS = new LinkSettings(true, true, 65536);
    private final AtomicLong outstanding = new AtomicLong();

    private static byte[] header(int tag, int ahsWords, int dataLength) {
        ByteBuffer h = ByteBuffer.allocate(Framing.BHS_LENGTH + ahsWords * 4);
        h.put(0, (byte) 0x20);
        Framing.setLengths(h, ahsWords * 4, dataLength);
        h.putInt(16, tag);
        for (int i = Framing.BHS_LENGTH; i < h.capacity(); i++) {
            h.put(i, (byte) (i * 7));
        }
        return h.array();
    }

    private static byte[] data(int tag, int length) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) {
            d[i] = (byte) (tag + i * 13);
        }
        return d;
    }

    /** The wire bytes of one PDU; {@code spoil} flips a bit of the header (1) or data (2) digest. */
    private static byte[] wire(int tag, int ahsWords, int dataLength, boolean digests, int spoil) {
        byte[] h = header(tag, ahsWords, dataLength);
        byte[] d = data(tag, dataLength);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        if (digests) {
            out.writeBytes(digest(Framing.crc32c(ByteBuffer.wrap(h)) ^ (spoil == 1 ? 1 : 0)));
        }
        out.writeBytes(d);
        out.writeBytes(new byte[Framing.padding(dataLength)]);
        if (digests && dataLength > 0) {
            out.writeBytes(digest(Framing.dataDigest(ByteBuffer.wrap(d)) ^ (spoil == 2 ? 1 : 0)));
        }
        return out.toByteArray();
    }

    private static byte[] digest(int v) {
        ByteBuffer b = ByteBuffer.allocate(4);
        Framing.putDigest(b, v);
        return b.array();
    }

    private FrameReader reader(LinkSettings s) {
        return new FrameReader(() -> s, outstanding, "192.0.2.1:3260");
    }

    /** Feeds {@code stream} in pieces of {@code step} bytes; collects every PDU. */
    private static List<NioPdu> feed(FrameReader r, byte[] stream, int step) throws IscsiException {
        List<NioPdu> out = new ArrayList<>();
        for (int at = 0; at < stream.length; at += step) {
            ByteBuffer in = ByteBuffer.wrap(stream, at, Math.min(step, stream.length - at));
            NioPdu p;
            while ((p = r.next(in)) != null) {
                out.add(p);
            }
            assertFalse(in.hasRemaining(), "the reader left bytes unread");
        }
        return out;
    }

    @Test
    void framesPdusHoweverTheStreamIsCut() throws Exception {
        for (LinkSettings s : List.of(PLAIN, DIGESTS)) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int[][] shapes = {{0, 0}, {0, 1}, {2, 3}, {0, 4}, {1, 8191}, {0, 0}, {3, 65536}};
            for (int i = 0; i < shapes.length; i++) {
                stream.writeBytes(wire(i, shapes[i][0], shapes[i][1], s.headerDigest(), 0));
            }
            for (int step : new int[] {1, 3, 47, 48, 4096, Integer.MAX_VALUE}) {
                FrameReader r = reader(s);
                List<NioPdu> got = feed(r, stream.toByteArray(), Math.min(step, stream.size()));
                assertEquals(shapes.length, got.size(), "PDUs with step " + step + ", " + s);
                for (int i = 0; i < shapes.length; i++) {
                    NioPdu p = got.get(i);
                    assertArrayEquals(header(i, shapes[i][0], shapes[i][1]), toArray(p.header()), "header " + i);
                    assertArrayEquals(data(i, shapes[i][1]), toArray(p.data()), "data " + i);
                    assertTrue(p.dataDigestOk());
                    p.release();
                }
                assertTrue(r.betweenPdus());
            }
        }
        assertEquals(0, outstanding.get());
    }

    @Test
    void aBadDataDigestIsDeliveredMarkedSoTheEngineCanRejectIt() throws Exception {
        FrameReader r = reader(DIGESTS);
        List<NioPdu> got = feed(r, concat(wire(1, 0, 100, true, 2), wire(2, 0, 10, true, 0)), 7);
        assertEquals(2, got.size());
        assertFalse(got.get(0).dataDigestOk());
        assertTrue(got.get(1).dataDigestOk(), "the stream goes on after a bad data digest");
    }

    @Test
    void aBadHeaderDigestEndsTheConnectionNamingThePdu() {
        FrameReader r = reader(DIGESTS);
        IscsiException e = assertThrows(IscsiException.class, () -> feed(r, concat(wire(1, 0, 0, true, 0),
                wire(2, 0, 0, true, 1)), 1000));
        assertEquals(IscsiError.TRANS, e.error());
        assertTrue(e.getMessage().contains("PDU #2 from 192.0.2.1:3260") && e.getMessage().contains("header digest"),
                e.getMessage());
    }

    @Test
    void aDataSegmentLongerThanNegotiatedEndsTheConnection() {
        FrameReader r = reader(new LinkSettings(false, false, 8192));
        IscsiException e = assertThrows(IscsiException.class, () -> feed(r, wire(1, 0, 8193, false, 0), 100));
        assertTrue(e.getMessage().contains("8193") && e.getMessage().contains("MaxRecvDataSegmentLength 8192"), e.getMessage());
    }

    @Test
    void settingsApplyFromTheNextPduOn() throws Exception {
        LinkSettings[] now = {PLAIN};
        FrameReader r = new FrameReader(() -> now[0], outstanding, "peer");
        byte[] first = wire(1, 0, 20, false, 0);
        ByteBuffer in = ByteBuffer.wrap(first, 0, 10);
        assertNull(r.next(in));
        now[0] = DIGESTS; // configured while the first PDU is half in: it stays without digests
        NioPdu p = r.next(ByteBuffer.wrap(first, 10, first.length - 10));
        assertArrayEquals(data(1, 20), toArray(p.data()));
        NioPdu q = r.next(ByteBuffer.wrap(wire(2, 0, 20, true, 0)));
        assertArrayEquals(data(2, 20), toArray(q.data()));
        assertTrue(q.dataDigestOk());
    }

    @Test
    void anEndInsideAPduIsNamedAsATruncation() throws Exception {
        FrameReader r = reader(PLAIN);
        assertNull(r.next(ByteBuffer.wrap(wire(1, 0, 100, false, 0), 0, 60)));
        assertFalse(r.betweenPdus());
        assertTrue(r.truncated().getMessage().contains("ended inside"), r.truncated().getMessage());
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

package org.kiscsi.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.ProtocolException.Kind;
import org.kiscsi.protocol.pdu.NopOut;
import org.kiscsi.protocol.pdu.PduCodec;

/** Crafted byte streams: each framing error becomes a typed ProtocolException naming the peer and offset. */
class PduStreamTest {
    private static byte[] nop(int dataLength, boolean hd, boolean dd) throws IOException {
        NopOut n = new NopOut(true, 0, 7, -1, 1, 2, ByteBuffer.wrap(new byte[dataLength]));
        PduStream s = new PduStream("peer");
        s.configure(hd, dd, 65536);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.write(out, PduCodec.encodeHeader(n), n.data());
        return out.toByteArray();
    }

    private static PduStream reader(boolean hd, boolean dd, int max) {
        PduStream s = new PduStream("127.0.0.1:3260");
        s.configure(hd, dd, max);
        return s;
    }

    @Test
    void roundTripWithDigestsAndPadding() throws IOException {
        byte[] b = nop(5, true, true);
        assertEquals(48 + 4 + 8 + 4, b.length);
        PduStream.Frame f = reader(true, true, 65536).read(new ByteArrayInputStream(b));
        assertEquals(5, f.data().remaining());
        assertTrue(f.dataDigestOk());
    }

    @Test
    void cleanEndOfStreamIsNull() throws IOException {
        assertNull(reader(false, false, 8192).read(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void truncatedAnywhereIsTruncated() throws IOException {
        byte[] b = nop(100, true, true);
        for (int cut = 1; cut < b.length; cut++) {
            byte[] part = Arrays.copyOf(b, cut);
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> reader(true, true, 65536).read(new ByteArrayInputStream(part)), "cut " + cut);
            assertEquals(Kind.TRUNCATED, e.kind());
            assertTrue(e.getMessage().contains("127.0.0.1:3260"), e.getMessage());
        }
    }

    @Test
    void headerDigestMismatch() throws IOException {
        byte[] b = nop(0, true, false);
        b[20] ^= 1; // flip a header bit after the digest was computed
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> reader(true, false, 8192).read(new ByteArrayInputStream(b)));
        assertEquals(Kind.HEADER_DIGEST, e.kind());
        assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    }

    @Test
    void dataDigestMismatchIsReportedOnTheFrame() throws IOException {
        byte[] b = nop(16, false, true);
        b[50] ^= 1;
        PduStream.Frame f = reader(false, true, 8192).read(new ByteArrayInputStream(b));
        assertFalse(f.dataDigestOk());
    }

    @Test
    void oversizedSegment() throws IOException {
        byte[] b = nop(9000, false, false);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> reader(false, false, 8192).read(new ByteArrayInputStream(b)));
        assertEquals(Kind.SEGMENT_TOO_LONG, e.kind());
        assertTrue(e.getMessage().contains("9000"), e.getMessage());
    }

    @Test
    void secondPduErrorNamesItsOffset() throws IOException {
        byte[] one = nop(4, true, false);
        byte[] two = nop(4, true, false);
        two[20] ^= 1;
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        PduStream r = reader(true, false, 8192);
        ByteArrayInputStream in = new ByteArrayInputStream(both);
        r.read(in);
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.read(in));
        assertTrue(e.getMessage().contains("PDU 1") && e.getMessage().contains("offset " + one.length), e.getMessage());
    }
}

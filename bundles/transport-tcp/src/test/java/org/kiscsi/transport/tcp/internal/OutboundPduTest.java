package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;

/** The wire image of a PDU to send: right bytes for every settings/layout mix, data never copied. */
class OutboundPduTest {
    private static final LinkSettings PLAIN = new LinkSettings(false, false, 65536);
    private static final LinkSettings DIGESTS = new LinkSettings(true, true, 65536);
    private final BufferCount count = new BufferCount();

    @Test
    void wireBytesMatchTheDecoderForEveryLayout() throws Exception {
        for (boolean gap : new boolean[] {false, true}) {
            for (LinkSettings s : new LinkSettings[] {PLAIN, DIGESTS, new LinkSettings(true, false, 65536), new LinkSettings(false, true, 65536)}) {
                for (int len : new int[] {0, 1, 5, 4096}) {
                    OutboundPdu p = filled(8, len, gap);
                    List<ByteBuffer> wire = p.wire(s);
                    byte[] bytes = concat(wire);
                    assertArrayEquals(PduDecoderTest.wire(0x00, 77, ahs(), len, s), bytes, "gap " + gap + ", " + s + ", " + len);
                    InboundPdu back = new PduDecoder("x", true).next(ByteBuffer.wrap(bytes), () -> s, h -> null);
                    assertNotNull(back);
                    p.release();
                }
            }
        }
        assertEquals(0, count.outstanding());
    }

    @Test
    void dataSegmentIsWrittenFromTheCallersMemory() {
        for (boolean gap : new boolean[] {false, true}) {
            for (LinkSettings s : new LinkSettings[] {PLAIN, DIGESTS}) {
                OutboundPdu p = filled(0, 1000, gap);
                List<ByteBuffer> wire = p.wire(s);
                ByteBuffer dataPart = wire.get(wire.size() - 1);
                assertSame(p.data().array(), dataPart.array(), "data copied for gap " + gap + ", " + s);
                // one write when the layout matches the settings
                assertEquals(gap == s.headerDigest() ? 1 : 2, wire.size(), "writes for gap " + gap + ", " + s);
            }
        }
    }

    @Test
    void wrappedDataSegmentsGoOutFromTheCallersBuffer() throws Exception {
        for (LinkSettings s : new LinkSettings[] {PLAIN, DIGESTS, new LinkSettings(true, false, 65536), new LinkSettings(false, true, 65536)}) {
            for (int len : new int[] {0, 3, 4, 4097}) {
                byte[] backing = new byte[len + 10];
                System.arraycopy(PduDecoderTest.data(77, len), 0, backing, 5, len);
                OutboundPdu p = OutboundPdu.wrapping(this, count, 8, ByteBuffer.wrap(backing, 5, len));
                ByteBuffer h = p.header();
                Framing.setLengths(h, 8, len);
                h.putInt(16, 77);
                h.put(48, ahs(), 0, 8);
                List<ByteBuffer> wire = p.wire(s);
                assertArrayEquals(PduDecoderTest.wire(0x00, 77, ahs(), len, s), concat(wire), s + ", " + len);
                if (len > 0) {
                    assertSame(backing, wire.get(1).array(), "wrapped data was copied");
                }
                p.release();
            }
        }
        assertEquals(0, count.outstanding());
    }

    @Test
    void checksBhsLengthsAgainstTheBuffers() {
        OutboundPdu p = OutboundPdu.allocate(this, count, 4, 100, false);
        Framing.setLengths(p.header(), 4, 99);
        assertEquals("DataSegmentLength says 99 bytes, the data buffer holds 100", p.lengthProblem());
        Framing.setLengths(p.header(), 0, 100);
        assertEquals("TotalAHSLength says 0 AHS bytes, the header buffer holds 4", p.lengthProblem());
        Framing.setLengths(p.header(), 4, 100);
        assertNull(p.lengthProblem());
        p.release();
        assertThrows(IllegalStateException.class, p::release);
        assertThrows(IllegalArgumentException.class, () -> OutboundPdu.allocate(this, count, 3, 0, false));
    }

    private OutboundPdu filled(int ahsLength, int dataLength, boolean gap) {
        OutboundPdu p = OutboundPdu.allocate(this, count, ahsLength, dataLength, gap);
        ByteBuffer h = p.header();
        h.put(0, (byte) 0x00);
        Framing.setLengths(h, ahsLength, dataLength);
        h.putInt(16, 77);
        h.put(48, ahs(), 0, ahsLength);
        p.data().put(0, PduDecoderTest.data(77, dataLength));
        return p;
    }

    private static byte[] ahs() {
        return PduDecoderTest.ahs(1, 5);
    }

    private static byte[] concat(List<ByteBuffer> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : parts) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            out.writeBytes(a);
        }
        return out.toByteArray();
    }
}

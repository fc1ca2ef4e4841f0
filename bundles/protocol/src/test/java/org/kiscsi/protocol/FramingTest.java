package org.kiscsi.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FramingTest {
    private static byte[] digestBytes(byte[] in) {
        ByteBuffer out = ByteBuffer.allocate(4);
        Framing.putDigest(out, Framing.crc32c(ByteBuffer.wrap(in)));
        return out.array();
    }

    /** RFC 3720 appendix B.4 test vectors, as bytes on the wire. */
    @Test
    void crc32cMatchesTheRfcVectors() {
        assertArrayEquals(new byte[] {(byte) 0xaa, 0x36, (byte) 0x91, (byte) 0x8a}, digestBytes(new byte[32]));
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertArrayEquals(new byte[] {0x43, (byte) 0xab, (byte) 0xa8, 0x62}, digestBytes(ones));
        byte[] inc = new byte[32];
        for (int i = 0; i < 32; i++) {
            inc[i] = (byte) i;
        }
        assertArrayEquals(new byte[] {0x4e, 0x79, (byte) 0xdd, 0x46}, digestBytes(inc));
        assertEquals(0xE3069283, Framing.crc32c(ByteBuffer.wrap("123456789".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void digestRoundTripsInWireOrder() {
        ByteBuffer b = ByteBuffer.allocate(4);
        Framing.putDigest(b, 0x12345678);
        assertArrayEquals(new byte[] {0x78, 0x56, 0x34, 0x12}, b.array());
        assertEquals(0x12345678, Framing.getDigest(b.flip()));
    }

    @Test
    void dataDigestCoversPadding() {
        ByteBuffer three = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertEquals(Framing.crc32c(ByteBuffer.wrap(new byte[] {1, 2, 3, 0})), Framing.dataDigest(three));
        assertEquals(3, three.remaining(), "position untouched");
    }

    @Test
    void lengthsAndPadding() {
        ByteBuffer bhs = ByteBuffer.allocate(48);
        Framing.setLengths(bhs, 8, 0x123456);
        assertEquals(8, Framing.ahsLength(bhs));
        assertEquals(0x123456, Framing.dataSegmentLength(bhs));
        assertEquals(0, Framing.padding(0));
        assertEquals(3, Framing.padding(1));
        assertEquals(1, Framing.padding(8191));
    }
}

package org.kiscsi.protocol;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How a PDU is laid out on a byte stream (RFC 7143 section 11.2): the 48-byte BHS, TotalAHSLength
 * 4-byte words of AHS, an optional 4-byte header digest, DataSegmentLength bytes of data padded to a
 * multiple of 4, and an optional 4-byte data digest. Stream transports (TCP) frame with this.
 */
public final class Framing {
    /** Basic Header Segment length. */
    public static final int BHS_LENGTH = 48;
    /** A CRC32C digest on the wire. */
    public static final int DIGEST_LENGTH = 4;
    /** Largest DataSegmentLength the 24-bit field can carry. */
    public static final int MAX_DATA_SEGMENT_LENGTH = 0xFF_FFFF;

    private Framing() {
    }

    /** TotalAHSLength in bytes, from BHS byte 4. */
    public static int ahsLength(ByteBuffer bhs) {
        return (bhs.get(bhs.position() + 4) & 0xFF) * 4;
    }

    /** DataSegmentLength, from BHS bytes 5..7. */
    public static int dataSegmentLength(ByteBuffer bhs) {
        int p = bhs.position();
        return (bhs.get(p + 5) & 0xFF) << 16 | (bhs.get(p + 6) & 0xFF) << 8 | (bhs.get(p + 7) & 0xFF);
    }

    /** Writes TotalAHSLength and DataSegmentLength into a BHS at its position. */
    public static void setLengths(ByteBuffer bhs, int ahsLength, int dataLength) {
        if (ahsLength % 4 != 0 || ahsLength < 0 || ahsLength > 255 * 4) {
            throw new IllegalArgumentException("AHS length " + ahsLength + " is not a multiple of 4 up to 1020");
        }
        if (dataLength < 0 || dataLength > MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("data segment length " + dataLength + " out of range");
        }
        int p = bhs.position();
        bhs.put(p + 4, (byte) (ahsLength / 4));
        bhs.put(p + 5, (byte) (dataLength >>> 16));
        bhs.put(p + 6, (byte) (dataLength >>> 8));
        bhs.put(p + 7, (byte) dataLength);
    }

    /** Bytes of padding after a data segment of {@code length} bytes. */
    public static int padding(int length) {
        return -length & 3;
    }

    /**
     * The CRC32C digest of {@code buf}'s remaining bytes, as the number RFC 7143 puts on the wire
     * (the 4 bytes are written little-endian, see {@link #putDigest}). Does not move the position.
     */
    public static int crc32c(ByteBuffer buf) {
        CRC32C c = new CRC32C();
        c.update(buf.duplicate());
        return (int) c.getValue();
    }

    /** CRC32C over the remaining bytes of a data segment followed by its padding. */
    public static int dataDigest(ByteBuffer data) {
        CRC32C c = new CRC32C();
        c.update(data.duplicate());
        int pad = padding(data.remaining());
        if (pad > 0) {
            c.update(new byte[pad], 0, pad);
        }
        return (int) c.getValue();
    }

    /**
     * Appends a digest in wire order: RFC 7143's CRC32C is sent least significant byte first (the
     * check value of "123456789" is 0xE3069283, sent as 83 92 06 E3).
     */
    public static void putDigest(ByteBuffer out, int digest) {
        out.put((byte) digest).put((byte) (digest >>> 8)).put((byte) (digest >>> 16)).put((byte) (digest >>> 24));
    }

    /** Reads a digest written by {@link #putDigest}, at the buffer's position, advancing it. */
    public static int getDigest(ByteBuffer in) {
        return (in.get() & 0xFF) | (in.get() & 0xFF) << 8 | (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 24;
    }
}

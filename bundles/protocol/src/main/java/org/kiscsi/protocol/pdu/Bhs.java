package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.Opcode;

/**
 * Field access on a Basic Header Segment held in a ByteBuffer whose index 0 is the BHS's first
 * byte. Offsets are RFC 7143 section 11's; multi-byte fields are big-endian.
 */
public final class Bhs {
    public static final int LENGTH = Framing.BHS_LENGTH;
    /** The reserved tag value (ITT/TTT 0xffffffff). */
    public static final int RESERVED_TAG = 0xFFFF_FFFF;

    private Bhs() {
    }

    public static int opcodeBits(ByteBuffer h) {
        return h.get(0) & 0x3F;
    }

    public static Opcode opcode(ByteBuffer h) {
        return Opcode.of(h.get(0));
    }

    public static boolean immediate(ByteBuffer h) {
        return (h.get(0) & 0x40) != 0;
    }

    public static boolean finalBit(ByteBuffer h) {
        return (h.get(1) & 0x80) != 0;
    }

    public static int itt(ByteBuffer h) {
        return h.getInt(16);
    }

    public static long lun(ByteBuffer h) {
        return h.getLong(8);
    }

    public static int u8(ByteBuffer h, int offset) {
        return h.get(offset) & 0xFF;
    }

    public static int u16(ByteBuffer h, int offset) {
        return h.getShort(offset) & 0xFFFF;
    }

    /** Starts a header: zeroes 48 bytes plus AHS and writes opcode, immediate bit, lengths. */
    static void begin(ByteBuffer h, Opcode op, boolean immediate, int ahsLength, int dataLength) {
        for (int i = 0; i < LENGTH + ahsLength; i++) {
            h.put(i, (byte) 0);
        }
        h.put(0, (byte) ((immediate ? 0x40 : 0) | op.code()));
        if (ahsLength % 4 != 0 || ahsLength < 0 || ahsLength > 255 * 4 || dataLength < 0 || dataLength > Framing.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("AHS length " + ahsLength + " / data segment length " + dataLength + " out of range");
        }
        h.put(4, (byte) (ahsLength / 4));
        h.put(5, (byte) (dataLength >>> 16));
        h.put(6, (byte) (dataLength >>> 8));
        h.put(7, (byte) dataLength);
    }

    static void putU16(ByteBuffer h, int offset, int value) {
        h.putShort(offset, (short) value);
    }
}

package org.kiscsi.testkit.proxy;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.Opcode;

/**
 * One PDU exactly as it came off the wire: BHS, AHS, header digest, data segment, padding, data
 * digest. The proxy forwards {@link #bytes()} unchanged unless a fault edits them.
 *
 * @param bytes the PDU's wire bytes
 * @param dataOffset where the data segment starts in {@code bytes}
 * @param dataLength DataSegmentLength (padding and digest not counted)
 */
record WireFrame(byte[] bytes, int dataOffset, int dataLength) {
    Opcode opcode() {
        return Opcode.of(bytes[0]);
    }

    int itt() {
        return ByteBuffer.wrap(bytes).getInt(16);
    }

    int int32(int offset) {
        return ByteBuffer.wrap(bytes).getInt(offset);
    }

    int u16(int offset) {
        return ByteBuffer.wrap(bytes).getShort(offset) & 0xFFFF;
    }

    int u8(int offset) {
        return bytes[offset] & 0xFF;
    }

    /** The 6-byte ISID of a login PDU, as a 48-bit number. */
    long isid() {
        long v = 0;
        for (int i = 8; i < 14; i++) {
            v = v << 8 | (bytes[i] & 0xFF);
        }
        return v;
    }

    /** The data segment without padding or digest. */
    ByteBuffer data() {
        return ByteBuffer.wrap(bytes, dataOffset, dataLength).slice();
    }

    /** Wire length a PDU with this header would have; the BHS is enough to know it. */
    static long wireLength(ByteBuffer bhs, boolean headerDigest, boolean dataDigest) {
        int dsl = Framing.dataSegmentLength(bhs);
        return (long) Framing.BHS_LENGTH + Framing.ahsLength(bhs) + (headerDigest ? Framing.DIGEST_LENGTH : 0) + dsl
                + Framing.padding(dsl) + (dataDigest && dsl > 0 ? Framing.DIGEST_LENGTH : 0);
    }
}

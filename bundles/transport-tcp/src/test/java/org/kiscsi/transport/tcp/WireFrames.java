package org.kiscsi.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.kiscsi.protocol.Framing;

/** PDUs as bytes on the wire, built independently of the transport (for peers and crafted streams). */
final class WireFrames {
    static final int OP_NOP_IN = 0x20;

    private WireFrames() {
    }

    /** Header (BHS + AHS), optional header digest, data, padding, optional data digest. */
    static byte[] frame(byte[] header, byte[] data, boolean headerDigest, boolean dataDigest) {
        return frame(header, data, headerDigest, dataDigest, 0, 0);
    }

    /** As {@link #frame}, with the digests XORed by the given values (0: correct). */
    static byte[] frame(byte[] header, byte[] data, boolean headerDigest, boolean dataDigest, int spoilHeaderDigest, int spoilDataDigest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        if (headerDigest) {
            out.writeBytes(digest(Framing.crc32c(ByteBuffer.wrap(header)) ^ spoilHeaderDigest));
        }
        out.writeBytes(data);
        out.writeBytes(new byte[Framing.padding(data.length)]);
        if (dataDigest && data.length > 0) {
            out.writeBytes(digest(Framing.dataDigest(ByteBuffer.wrap(data)) ^ spoilDataDigest));
        }
        return out.toByteArray();
    }

    /** A header with opcode, ITT {@code tag}, and the lengths set; AHS bytes as given. */
    static byte[] header(int opcode, int tag, byte[] ahs, int dataLength) {
        byte[] h = Arrays.copyOf(new byte[Framing.BHS_LENGTH], Framing.BHS_LENGTH + ahs.length);
        System.arraycopy(ahs, 0, h, Framing.BHS_LENGTH, ahs.length);
        ByteBuffer b = ByteBuffer.wrap(h);
        b.put(0, (byte) opcode);
        b.put(1, (byte) 0x80);
        Framing.setLengths(b, ahs.length, dataLength);
        b.putInt(16, tag);
        return h;
    }

    static byte[] data(int tag, int length) {
        byte[] d = new byte[length];
        for (int i = 0; i < length; i++) {
            d[i] = (byte) (tag * 31 + i);
        }
        return d;
    }

    /** A whole NOP-In with no AHS. */
    static byte[] nopIn(int tag, int dataLength, boolean headerDigest, boolean dataDigest) {
        return frame(header(OP_NOP_IN, tag, new byte[0], dataLength), data(tag, dataLength), headerDigest, dataDigest);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] digest(int d) {
        ByteBuffer b = ByteBuffer.allocate(4);
        Framing.putDigest(b, d);
        return b.array();
    }
}

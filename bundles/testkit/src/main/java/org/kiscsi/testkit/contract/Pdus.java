package org.kiscsi.testkit.contract;

import java.nio.ByteBuffer;
import java.util.Random;

import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;

/** Building and reading test PDUs without the protocol bundle: just enough of the BHS to frame. */
public final class Pdus {
    public static final int BHS = 48;
    public static final int OP_NOP_OUT = 0x00;
    public static final int OP_LOGOUT_REQUEST = 0x06;

    private Pdus() {
    }

    /**
     * A PDU with opcode {@code opcode}, {@code ahsWords} 4-byte words of AHS and {@code dataLength}
     * data bytes; ITT = {@code tag}; every other byte deterministic from {@code tag}.
     */
    public static PduBuffer build(TransportConnection c, int opcode, int tag, int ahsWords, int dataLength) {
        PduBuffer p = c.allocate(ahsWords * 4, dataLength);
        ByteBuffer h = p.header();
        if (h.limit() != BHS + ahsWords * 4) {
            throw new AssertionError("allocate gave a header of " + h.limit() + " bytes, expected " + (BHS + ahsWords * 4));
        }
        if (p.data().limit() != dataLength) {
            throw new AssertionError("allocate gave a data segment of " + p.data().limit() + " bytes, expected " + dataLength);
        }
        Random r = new Random(tag);
        for (int i = 0; i < h.limit(); i++) {
            h.put(i, (byte) r.nextInt());
        }
        h.put(0, (byte) (0x40 | opcode)); // immediate bit, opcode
        h.put(4, (byte) ahsWords);
        h.put(5, (byte) (dataLength >>> 16));
        h.put(6, (byte) (dataLength >>> 8));
        h.put(7, (byte) dataLength);
        h.putInt(16, tag);
        ByteBuffer d = p.data();
        for (int i = 0; i < dataLength; i++) {
            d.put(i, (byte) (tag * 31 + i));
        }
        return p;
    }

    public static int opcode(ByteBuffer header) {
        return header.get(0) & 0x3F;
    }

    public static int tag(ByteBuffer header) {
        return header.getInt(16);
    }

    public static int dataSegmentLength(ByteBuffer header) {
        return (header.get(5) & 0xFF) << 16 | (header.get(6) & 0xFF) << 8 | (header.get(7) & 0xFF);
    }

    /** Whether {@code p} is exactly what {@link #build} made for these parameters. */
    public static String mismatch(PduBuffer p, int opcode, int tag, int ahsWords, int dataLength) {
        ByteBuffer h = p.header();
        if (h.limit() != BHS + ahsWords * 4) {
            return "header of " + h.limit() + " bytes, expected " + (BHS + ahsWords * 4);
        }
        if (p.data().limit() != dataLength) {
            return "data segment of " + p.data().limit() + " bytes, expected " + dataLength;
        }
        if (opcode(h) != opcode || tag(h) != tag) {
            return "opcode/tag " + opcode(h) + "/" + tag(h) + ", expected " + opcode + "/" + tag;
        }
        Random r = new Random(tag);
        for (int i = 0; i < h.limit(); i++) {
            byte expected = (byte) r.nextInt();
            if (i == 0 || (i >= 4 && i < 8) || (i >= 16 && i < 20)) {
                continue;
            }
            if (h.get(i) != expected) {
                return "header byte " + i + " differs";
            }
        }
        ByteBuffer d = p.data();
        for (int i = 0; i < dataLength; i++) {
            if (d.get(d.position() + i) != (byte) (tag * 31 + i)) {
                return "data byte " + i + " differs";
            }
        }
        return null;
    }
}

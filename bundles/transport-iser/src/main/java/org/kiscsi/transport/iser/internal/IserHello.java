package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;

/**
 * iSER Hello (opcode 0x2, initiator to target) and HelloReply (0x3, with REJ in bit 0): byte 1 holds
 * MaxVer and MinVer (Hello) or MaxVer and CurVer (HelloReply) in its nibbles, bytes 2-3 the
 * initiator's iSER-IRD or the target's iSER-ORD. Sent only when iSERHelloRequired=Yes. The message
 * is a whole iSER header's length, the rest reserved (zero).
 *
 * @param reply HelloReply rather than Hello
 * @param rejected REJ of a HelloReply
 * @param maxVersion highest iSER version (1.0 is 0xA)
 * @param otherVersion MinVer of a Hello, CurVer of a HelloReply
 * @param readDepth iSER-IRD (Hello) or iSER-ORD (HelloReply)
 */
public record IserHello(boolean reply, boolean rejected, int maxVersion, int otherVersion, int readDepth) {
    /** iSER version 10 (RFC 7145), in both nibbles. */
    public static final int VERSION = 0xA;

    public IserHello {
        if (!reply && rejected) {
            throw new IllegalArgumentException("only a HelloReply rejects");
        }
        if (readDepth < 0 || readDepth > 0xFFFF) {
            throw new IllegalArgumentException("iSER IRD/ORD " + readDepth + " outside 0..65535");
        }
    }

    public static IserHello hello(int ird) {
        return new IserHello(false, false, VERSION, VERSION, ird);
    }

    public void writeTo(ByteBuffer b, int at) {
        for (int i = 0; i < IserHeader.LENGTH; i++) {
            b.put(at + i, (byte) 0);
        }
        b.put(at, (byte) ((reply ? IserHeader.HELLO_REPLY : IserHeader.HELLO) << 4 | (rejected ? 1 : 0)));
        b.put(at + 1, (byte) (maxVersion << 4 | otherVersion));
        b.putShort(at + 2, (short) readDepth);
    }

    /** @throws IllegalArgumentException when the message is not a Hello or HelloReply */
    public static IserHello readFrom(ByteBuffer b, int at, String where) {
        if (b.limit() - at < 4) {
            throw new IllegalArgumentException(where + ": iSER Hello of " + (b.limit() - at) + " bytes, fewer than 4");
        }
        int op = IserHeader.opcode(b, at);
        if (op != IserHeader.HELLO && op != IserHeader.HELLO_REPLY) {
            throw new IllegalArgumentException(String.format("%s: iSER opcode 0x%x where a Hello or HelloReply was due", where, op));
        }
        int v = b.get(at + 1) & 0xFF;
        boolean reply = op == IserHeader.HELLO_REPLY;
        return new IserHello(reply, reply && (b.get(at) & 1) != 0, v >>> 4, v & 0xF, b.getShort(at + 2) & 0xFFFF);
    }
}

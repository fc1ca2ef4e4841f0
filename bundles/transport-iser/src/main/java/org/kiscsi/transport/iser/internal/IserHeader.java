package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;

/**
 * The 28-byte iSER header in front of every iSCSI control-type PDU (RFC 7145 section 9.2),
 * big-endian: byte 0 holds the opcode in bits 7-4 and the WSV (0x08) and RSV (0x04) flags; bytes 4-15
 * the Write STag and Write Base Offset (the initiator buffer the target RDMA-reads), bytes 16-27 the
 * Read STag and Read Base Offset (the buffer the target RDMA-writes).
 */
public record IserHeader(boolean wsv, boolean rsv, int writeStag, long writeVa, int readStag, long readVa) {
    public static final int LENGTH = 28;
    /** Opcodes (byte 0, bits 7-4). */
    public static final int CONTROL = 0x1;
    public static final int HELLO = 0x2;
    public static final int HELLO_REPLY = 0x3;
    static final int WSV = 0x08;
    static final int RSV = 0x04;

    /** A control-type header without tagged buffers (login, NOP-Out, text, logout, responses). */
    public static final IserHeader PLAIN = new IserHeader(false, false, 0, 0, 0, 0);

    public static IserHeader read(int readStag, long readVa) {
        return new IserHeader(false, true, 0, 0, readStag, readVa);
    }

    public static IserHeader write(int writeStag, long writeVa) {
        return new IserHeader(true, false, writeStag, writeVa, 0, 0);
    }

    /** Writes the header at {@code at}, leaving {@code b}'s position alone. */
    public void writeTo(ByteBuffer b, int at) {
        b.put(at, (byte) (CONTROL << 4 | (wsv ? WSV : 0) | (rsv ? RSV : 0)));
        b.put(at + 1, (byte) 0).putShort(at + 2, (short) 0);
        b.putInt(at + 4, wsv ? writeStag : 0).putLong(at + 8, wsv ? writeVa : 0);
        b.putInt(at + 16, rsv ? readStag : 0).putLong(at + 20, rsv ? readVa : 0);
    }

    /** The opcode in byte 0 of an iSER message. */
    public static int opcode(ByteBuffer b, int at) {
        return (b.get(at) & 0xF0) >>> 4;
    }

    /**
     * Reads a control-type header at {@code at}.
     *
     * @throws IllegalArgumentException when the message is shorter than a header, or not of the
     *         control type, naming what was found
     */
    public static IserHeader readFrom(ByteBuffer b, int at, String where) {
        if (b.limit() - at < LENGTH) {
            throw new IllegalArgumentException(where + ": iSER message of " + (b.limit() - at) + " bytes, shorter than the "
                    + LENGTH + "-byte iSER header");
        }
        int flags = b.get(at) & 0xFF;
        if (flags >>> 4 != CONTROL) {
            throw new IllegalArgumentException(String.format("%s: iSER opcode 0x%x where a control-type PDU (0x1) was due",
                    where, flags >>> 4));
        }
        boolean wsv = (flags & WSV) != 0;
        boolean rsv = (flags & RSV) != 0;
        return new IserHeader(wsv, rsv, wsv ? b.getInt(at + 4) : 0, wsv ? b.getLong(at + 8) : 0, rsv ? b.getInt(at + 16) : 0,
                rsv ? b.getLong(at + 20) : 0);
    }
}

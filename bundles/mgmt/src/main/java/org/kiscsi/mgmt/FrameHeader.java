package org.kiscsi.mgmt;

import java.nio.ByteBuffer;

/**
 * The 12 bytes every frame of every version starts with: magic {@code KSCM}, u16 version, u8 kind,
 * u8 flags (0), u32 payload length. Read on its own, it tells how much more to read (or refuse)
 * before anything is allocated.
 */
public record FrameHeader(int version, int kind, long length) {
    public static final int SIZE = 12;

    /** Reads a header from the next 12 bytes of {@code b}. */
    public static FrameHeader read(ByteBuffer b) throws MgmtProtocolException {
        int magic = b.getInt();
        if (magic != MgmtProtocol.MAGIC) {
            throw new MgmtProtocolException(String.format("not a kiscsi management frame (magic 0x%08x)", magic));
        }
        int version = Short.toUnsignedInt(b.getShort());
        int kind = Byte.toUnsignedInt(b.get());
        b.get();
        return new FrameHeader(version, kind, Integer.toUnsignedLong(b.getInt()));
    }

    /** Whether this side speaks the frame's version. */
    public boolean spoken() {
        return version >= MgmtProtocol.MIN_VERSION && version <= MgmtProtocol.VERSION;
    }

    /** The frame's length checked against {@code max}, for the kind it was read as. */
    public int checkedLength(long max) throws MgmtProtocolException {
        if (length > max) {
            throw new MgmtProtocolException(MgmtProtocol.kindName(kind) + " frame of " + length
                    + " bytes exceeds the limit of " + max);
        }
        return (int) length;
    }
}

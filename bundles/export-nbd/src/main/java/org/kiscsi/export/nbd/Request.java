package org.kiscsi.export.nbd;

import java.nio.ByteBuffer;

/**
 * One transmission-phase request as read: the 28-byte header, and for WRITE its payload.
 *
 * @param payload WRITE's data (null for other commands, or when the payload is being discarded)
 */
record Request(int flags, int type, long cookie, long offset, long length, ByteBuffer payload) {
    static final int HEADER = 28;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** "WRITE 0x10000+4096 (cookie 7)": how messages name a request. */
    String describe() {
        return Nbd.commandName(type) + " 0x" + Long.toHexString(offset) + "+" + length + " (cookie " + Long.toUnsignedString(cookie)
                + ")";
    }
}

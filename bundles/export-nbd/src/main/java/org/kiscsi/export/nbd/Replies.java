package org.kiscsi.export.nbd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes transmission-phase replies: simple ones, and the chunks of structured ones. */
final class Replies {
    private Replies() {
    }

    /** A simple reply without data (any command but a successful READ). */
    static ByteBuffer simple(long cookie, int error) {
        return ByteBuffer.allocate(16).putInt(Nbd.SIMPLE_REPLY_MAGIC).putInt(error).putLong(cookie).flip();
    }

    /** Bytes left in front of READ data for its reply's header (a simple one is 16, a structured one 28). */
    static final int READ_HEADER_ROOM = 32;

    /**
     * A successful simple READ reply in one buffer: {@code reply} holds the data at
     * {@link #READ_HEADER_ROOM}; the header goes just before it. Position and limit frame the reply.
     */
    static ByteBuffer simpleHeaderBefore(ByteBuffer reply, long cookie, int length) {
        int at = READ_HEADER_ROOM - 16;
        reply.putInt(at, Nbd.SIMPLE_REPLY_MAGIC).putInt(at + 4, 0).putLong(at + 8, cookie);
        return reply.limit(READ_HEADER_ROOM + length).position(at);
    }

    /** As {@link #simpleHeaderBefore}, for one OFFSET_DATA chunk with DONE. */
    static ByteBuffer offsetDataHeaderBefore(ByteBuffer reply, long cookie, long offset, int length) {
        int at = READ_HEADER_ROOM - 28;
        reply.putInt(at, Nbd.STRUCTURED_REPLY_MAGIC).putShort(at + 4, (short) Nbd.REPLY_FLAG_DONE)
                .putShort(at + 6, (short) Nbd.REPLY_TYPE_OFFSET_DATA).putLong(at + 8, cookie).putInt(at + 16, 8 + length)
                .putLong(at + 20, offset);
        return reply.limit(READ_HEADER_ROOM + length).position(at);
    }

    /** A structured chunk's header. */
    static ByteBuffer chunkHeader(long cookie, int flags, int type, int length) {
        return ByteBuffer.allocate(20).putInt(Nbd.STRUCTURED_REPLY_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putInt(length).flip();
    }

    /** NONE with DONE: a structured success without data. */
    static ByteBuffer done(long cookie) {
        return chunkHeader(cookie, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_NONE, 0);
    }

    /** ERROR with DONE: the error and a message for the client's log (cut to the protocol's limit). */
    static ByteBuffer error(long cookie, int error, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        if (m.length > Nbd.MAX_STRING) {
            m = java.util.Arrays.copyOf(m, Nbd.MAX_STRING);
        }
        ByteBuffer b = ByteBuffer.allocate(20 + 6 + m.length);
        b.put(chunkHeader(cookie, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_ERROR, 6 + m.length)).putInt(error)
                .putShort((short) m.length).put(m);
        return b.flip();
    }

    /** BLOCK_STATUS with DONE for base:allocation: {length, flags} pairs. */
    static ByteBuffer blockStatus(long cookie, List<long[]> extents) {
        int length = 4 + 8 * extents.size();
        ByteBuffer b = ByteBuffer.allocate(20 + length);
        b.put(chunkHeader(cookie, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_BLOCK_STATUS, length)).putInt(Nbd.BASE_ALLOCATION_ID);
        for (long[] e : extents) {
            b.putInt((int) e[0]).putInt((int) e[1]);
        }
        return b.flip();
    }
}

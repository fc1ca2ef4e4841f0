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

    /** The header of a successful simple READ reply; the data follows. */
    static ByteBuffer simpleReadHeader(long cookie) {
        return simple(cookie, 0);
    }

    /** A structured chunk's header. */
    static ByteBuffer chunkHeader(long cookie, int flags, int type, int length) {
        return ByteBuffer.allocate(20).putInt(Nbd.STRUCTURED_REPLY_MAGIC).putShort((short) flags).putShort((short) type)
                .putLong(cookie).putInt(length).flip();
    }

    /** The header of one OFFSET_DATA chunk with DONE: the data of {@code length} bytes follows. */
    static ByteBuffer offsetDataHeader(long cookie, long offset, int length) {
        ByteBuffer h = ByteBuffer.allocate(28);
        h.put(chunkHeader(cookie, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_OFFSET_DATA, 8 + length)).putLong(offset);
        return h.flip();
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

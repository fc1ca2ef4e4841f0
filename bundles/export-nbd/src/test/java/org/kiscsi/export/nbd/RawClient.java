package org.kiscsi.export.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A blocking NBD client that sends exactly the bytes a test asks for. */
final class RawClient implements AutoCloseable {
    final SocketChannel ch;

    RawClient(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Reads the greeting and sends the client flags. */
    RawClient hello(int clientFlags) throws IOException {
        ByteBuffer g = read(18);
        assertEquals(Nbd.NBDMAGIC, g.getLong());
        assertEquals(Nbd.IHAVEOPT, g.getLong());
        assertEquals(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES, g.getShort());
        send(ByteBuffer.allocate(4).putInt(clientFlags).flip());
        return this;
    }

    void option(int option, byte[] data) throws IOException {
        send(ByteBuffer.allocate(16 + data.length).putLong(Nbd.IHAVEOPT).putInt(option).putInt(data.length).put(data).flip());
    }

    /** One option reply: {type, data}. */
    Object[] optionReply(int option) throws IOException {
        ByteBuffer h = read(20);
        assertEquals(Nbd.OPTION_REPLY_MAGIC, h.getLong());
        assertEquals(option, h.getInt());
        int type = h.getInt();
        byte[] data = new byte[h.getInt()];
        read(data.length).get(data);
        return new Object[] { type, data };
    }

    static byte[] goData(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length).putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    static byte[] metaData(String name, String... queries) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = 4 + n.length + 4;
        for (String q : queries) {
            len += 4 + q.length();
        }
        ByteBuffer b = ByteBuffer.allocate(len).putInt(n.length).put(n).putInt(queries.length);
        for (String q : queries) {
            b.putInt(q.length()).put(q.getBytes(StandardCharsets.UTF_8));
        }
        return b.array();
    }

    /** GO on {@code name}, optionally with structured replies and base:allocation; returns the transmission flags. */
    int go(String name, boolean structured, boolean baseAllocation) throws IOException {
        if (structured) {
            option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(Nbd.REP_ACK, optionReply(Nbd.OPT_STRUCTURED_REPLY)[0]);
        }
        if (baseAllocation) {
            option(Nbd.OPT_SET_META_CONTEXT, metaData(name, Nbd.BASE_ALLOCATION));
            assertEquals(Nbd.REP_META_CONTEXT, optionReply(Nbd.OPT_SET_META_CONTEXT)[0]);
            assertEquals(Nbd.REP_ACK, optionReply(Nbd.OPT_SET_META_CONTEXT)[0]);
        }
        option(Nbd.OPT_GO, goData(name, Nbd.INFO_BLOCK_SIZE));
        int flags = -1;
        while (true) {
            Object[] r = optionReply(Nbd.OPT_GO);
            if ((int) r[0] == Nbd.REP_ACK) {
                return flags;
            }
            assertEquals(Nbd.REP_INFO, r[0]);
            ByteBuffer d = ByteBuffer.wrap((byte[]) r[1]);
            if (d.getShort() == Nbd.INFO_EXPORT) {
                d.getLong();
                flags = Short.toUnsignedInt(d.getShort());
            }
        }
    }

    void request(int flags, int type, long cookie, long offset, int length, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + (payload == null ? 0 : payload.length));
        b.putInt(Nbd.REQUEST_MAGIC).putShort((short) flags).putShort((short) type).putLong(cookie).putLong(offset).putInt(length);
        if (payload != null) {
            b.put(payload);
        }
        send(b.flip());
    }

    /** A simple reply's {error, cookie}. */
    long[] simpleReply() throws IOException {
        ByteBuffer h = read(16);
        assertEquals(Nbd.SIMPLE_REPLY_MAGIC, h.getInt());
        return new long[] { h.getInt(), h.getLong() };
    }

    /** A structured chunk: {flags, type, cookie} and its payload. */
    Object[] chunk() throws IOException {
        ByteBuffer h = read(20);
        assertEquals(Nbd.STRUCTURED_REPLY_MAGIC, h.getInt());
        int flags = h.getShort();
        int type = Short.toUnsignedInt(h.getShort());
        long cookie = h.getLong();
        byte[] data = new byte[h.getInt()];
        read(data.length).get(data);
        return new Object[] { flags, type, cookie, data };
    }

    void send(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new java.io.EOFException("closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    /** True when the server closed the connection (reads end-of-stream). */
    boolean closedByServer() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        try {
            while (true) {
                int n = ch.read(b);
                if (n < 0) {
                    return true;
                }
                b.clear();
            }
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}

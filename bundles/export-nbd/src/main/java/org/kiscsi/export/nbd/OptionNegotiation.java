package org.kiscsi.export.nbd;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The option haggling phase of the fixed newstyle handshake: one option in, its replies out. Knows no
 * sockets; {@link NbdConnection} feeds it whole options. Options it does not know get
 * NBD_REP_ERR_UNSUP and the client may go on. STARTTLS gets UNSUP too while no TLS is configured; TLS
 * would upgrade the channel below {@link NbdConnection} and start this phase anew.
 */
final class OptionNegotiation {
    /** What the connection does after an option. */
    enum Next { CONTINUE, CLOSE, TRANSMISSION }

    private final Exports exports;
    private final boolean noZeroes;
    private boolean structuredReplies;
    private boolean baseAllocation;
    private NbdExport selected;
    private NbdExport contextExport;
    private final List<ByteBuffer> out = new ArrayList<>();

    OptionNegotiation(Exports exports, boolean noZeroes) {
        this.exports = exports;
        this.noZeroes = noZeroes;
    }

    /** The replies to send, in order, since the last call. */
    List<ByteBuffer> takeReplies() {
        List<ByteBuffer> r = new ArrayList<>(out);
        out.clear();
        return r;
    }

    boolean structuredReplies() {
        return structuredReplies;
    }

    /** base:allocation was set (SET_META_CONTEXT) for the export chosen. */
    boolean baseAllocation() {
        return baseAllocation;
    }

    /** The export chosen by GO or EXPORT_NAME. */
    NbdExport selected() {
        return selected;
    }

    Next option(int option, byte[] data) {
        try {
            return switch (option) {
                case Nbd.OPT_EXPORT_NAME -> exportName(data);
                case Nbd.OPT_ABORT -> {
                    reply(option, Nbd.REP_ACK, new byte[0]);
                    yield Next.CLOSE;
                }
                case Nbd.OPT_LIST -> list(data);
                case Nbd.OPT_INFO, Nbd.OPT_GO -> info(option, data);
                case Nbd.OPT_STRUCTURED_REPLY -> structured(data);
                case Nbd.OPT_LIST_META_CONTEXT, Nbd.OPT_SET_META_CONTEXT -> metaContext(option, data);
                case Nbd.OPT_STARTTLS -> error(option, Nbd.REP_ERR_UNSUP, "TLS is not configured on this server");
                default -> error(option, Nbd.REP_ERR_UNSUP, "option " + option + " is not supported");
            };
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return error(option, Nbd.REP_ERR_INVALID, "option " + option + ": malformed data"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** An option whose data is too long to read: ERR_TOO_BIG (the connection then closes). */
    void tooBig(int option, long length, int max) {
        reply(option, Nbd.REP_ERR_TOO_BIG, utf8("option " + option + " of " + length + " bytes: at most " + max));
    }

    private Next exportName(byte[] data) {
        String name = new String(data, StandardCharsets.UTF_8);
        Optional<NbdExport> e = exports.find(name);
        if (e.isEmpty()) {
            return Next.CLOSE; // the protocol leaves no way to say so but closing
        }
        selected = e.get();
        baseAllocation = false; // EXPORT_NAME has no place for meta contexts
        ByteBuffer b = ByteBuffer.allocate(10 + (noZeroes ? 0 : 124));
        b.putLong(selected.size()).putShort((short) selected.transmissionFlags(structuredReplies));
        out.add(b.position(b.capacity()).flip());
        return Next.TRANSMISSION;
    }

    private Next list(byte[] data) {
        if (data.length != 0) {
            return error(Nbd.OPT_LIST, Nbd.REP_ERR_INVALID, "LIST takes no data");
        }
        for (NbdExport e : exports.list()) {
            byte[] name = utf8(e.name());
            byte[] description = utf8(e.description());
            reply(Nbd.OPT_LIST, Nbd.REP_SERVER, ByteBuffer.allocate(4 + name.length + description.length)
                    .putInt(name.length).put(name).put(description).array());
        }
        reply(Nbd.OPT_LIST, Nbd.REP_ACK, new byte[0]);
        return Next.CONTINUE;
    }

    private Next info(int option, byte[] data) {
        ByteBuffer d = ByteBuffer.wrap(data);
        String name = string(d, d.getInt());
        int n = Short.toUnsignedInt(d.getShort());
        List<Integer> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(Short.toUnsignedInt(d.getShort()));
        }
        if (d.hasRemaining()) {
            return error(option, Nbd.REP_ERR_INVALID, d.remaining() + " bytes past the information requests");
        }
        Optional<NbdExport> found = exports.find(name);
        if (found.isEmpty()) {
            return error(option, Nbd.REP_ERR_UNKNOWN, "no export named '" + name + "'");
        }
        NbdExport e = found.get();
        ByteBuffer export = ByteBuffer.allocate(12).putShort((short) Nbd.INFO_EXPORT).putLong(e.size())
                .putShort((short) e.transmissionFlags(structuredReplies));
        reply(option, Nbd.REP_INFO, export.array());
        if (requests.contains(Nbd.INFO_NAME)) {
            byte[] n8 = utf8(e.name());
            reply(option, Nbd.REP_INFO, ByteBuffer.allocate(2 + n8.length).putShort((short) Nbd.INFO_NAME).put(n8).array());
        }
        if (requests.contains(Nbd.INFO_DESCRIPTION) && !e.description().isEmpty()) {
            byte[] d8 = utf8(e.description());
            reply(option, Nbd.REP_INFO, ByteBuffer.allocate(2 + d8.length).putShort((short) Nbd.INFO_DESCRIPTION).put(d8)
                    .array());
        }
        // sent even when not asked for: the constraints hold either way (EINVAL outside them)
        reply(option, Nbd.REP_INFO, ByteBuffer.allocate(14).putShort((short) Nbd.INFO_BLOCK_SIZE).putInt(e.minBlock())
                .putInt(e.preferredBlock()).putInt(e.maxPayload()).array());
        reply(option, Nbd.REP_ACK, new byte[0]);
        if (option == Nbd.OPT_GO) {
            baseAllocation = baseAllocation && contextExport == e;
            selected = e;
            return Next.TRANSMISSION;
        }
        return Next.CONTINUE;
    }

    private Next structured(byte[] data) {
        if (data.length != 0) {
            return error(Nbd.OPT_STRUCTURED_REPLY, Nbd.REP_ERR_INVALID, "STRUCTURED_REPLY takes no data");
        }
        structuredReplies = true;
        reply(Nbd.OPT_STRUCTURED_REPLY, Nbd.REP_ACK, new byte[0]);
        return Next.CONTINUE;
    }

    private Next metaContext(int option, byte[] data) {
        boolean set = option == Nbd.OPT_SET_META_CONTEXT;
        if (set && !structuredReplies) {
            return error(option, Nbd.REP_ERR_INVALID, "SET_META_CONTEXT needs structured replies first");
        }
        ByteBuffer d = ByteBuffer.wrap(data);
        String name = string(d, d.getInt());
        long count = Integer.toUnsignedLong(d.getInt());
        List<String> queries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            queries.add(string(d, d.getInt()));
        }
        if (d.hasRemaining()) {
            return error(option, Nbd.REP_ERR_INVALID, d.remaining() + " bytes past the queries");
        }
        Optional<NbdExport> e = exports.find(name);
        if (e.isEmpty()) {
            return error(option, Nbd.REP_ERR_UNKNOWN, "no export named '" + name + "'");
        }
        boolean offer = e.get().thin() && (queries.isEmpty() && !set
                || queries.stream().anyMatch(q -> q.equals(Nbd.BASE_ALLOCATION) || !set && q.equals("base:")));
        if (offer) {
            byte[] n8 = utf8(Nbd.BASE_ALLOCATION);
            reply(option, Nbd.REP_META_CONTEXT, ByteBuffer.allocate(4 + n8.length).putInt(Nbd.BASE_ALLOCATION_ID).put(n8)
                    .array());
        }
        if (set) {
            baseAllocation = offer;
            contextExport = e.get();
        }
        reply(option, Nbd.REP_ACK, new byte[0]);
        return Next.CONTINUE;
    }

    private Next error(int option, int type, String message) {
        reply(option, type, utf8(message));
        return Next.CONTINUE;
    }

    private void reply(int option, int type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(20 + data.length);
        b.putLong(Nbd.OPTION_REPLY_MAGIC).putInt(option).putInt(type).putInt(data.length).put(data);
        out.add(b.flip());
    }

    private static String string(ByteBuffer d, int length) {
        if (length < 0 || length > Nbd.MAX_STRING || length > d.remaining()) {
            throw new IllegalArgumentException("a string of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] b = new byte[length];
        d.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

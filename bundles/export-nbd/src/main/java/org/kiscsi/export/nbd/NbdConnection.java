package org.kiscsi.export.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads and parses on the server's selector thread, sends requests to the LU
 * through {@link CommandHandler}, and writes replies when the device completes them (in whatever order
 * they complete; the client matches them by cookie). Device completions never touch the socket: they
 * queue the reply and wake the selector.
 *
 * <p>Back-pressure: while {@link NbdServerOptions#maxInFlight} requests are outstanding or
 * {@link NbdServerOptions#maxHeldBytes} of data are held for them, nothing more is read from the client.
 * A client that stops reading replies therefore stops its own requests; after
 * {@link NbdServerOptions#stallTimeout} without any reply going out, the connection is dropped.
 */
final class NbdConnection {
    private static final Logger LOG = LoggerFactory.getLogger(NbdConnection.class);
    /** Largest option data accepted: enough for any name and a few hundred meta-context queries. */
    static final int MAX_OPTION = 64 * 1024;

    private enum Phase { CLIENT_FLAGS, OPTION_HEADER, OPTION_DATA, REQUEST_HEADER, WRITE_PAYLOAD, DISCARD_PAYLOAD, DRAINING }

    private final NbdServer server;
    private final SocketChannel channel;
    private final String peer;
    private final NbdServerOptions options;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ReplyWriter out;
    private final BufferPool pool;
    private final Queue<ReplyWriter.Outgoing> completed = new ConcurrentLinkedQueue<>();
    private SelectionKey key;
    private Phase phase = Phase.CLIENT_FLAGS;
    private OptionNegotiation negotiation;
    private CommandHandler handler;
    private NbdExport export;
    private int option;
    private int optionLength;
    private Request pending;
    private long discard;
    private int inFlight;
    private long held;
    private boolean closeAfterWrite;
    private volatile boolean closed;

    NbdConnection(NbdServer server, SocketChannel channel, String peer, NbdServerOptions options, BufferPool pool) {
        this.server = server;
        this.channel = channel;
        this.peer = peer;
        this.options = options;
        this.pool = pool;
        this.out = new ReplyWriter(channel, pool);
    }

    /** Registers with the selector and sends the server's greeting. */
    void start(SelectionKey k) {
        this.key = k;
        ByteBuffer hello = ByteBuffer.allocate(18).putLong(Nbd.NBDMAGIC).putLong(Nbd.IHAVEOPT)
                .putShort((short) (Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES));
        out.add(List.of(hello.flip()));
        pump();
    }

    String peer() {
        return peer;
    }

    NbdExport export() {
        return export;
    }

    boolean idle() {
        return inFlight == 0 && out.isEmpty();
    }

    /** Selector thread: the socket is readable. */
    void readable() {
        try {
            int n = phase == Phase.WRITE_PAYLOAD && in.position() == 0 ? channel.read(pending.payload()) : channel.read(in);
            if (n < 0) {
                close(inFlight > 0 ? "the client closed with " + inFlight + " requests outstanding" : null);
                return;
            }
        } catch (IOException e) {
            close("read failed: " + e.getMessage());
            return;
        }
        pump();
    }

    /** Selector thread: the socket is writable, or device completions are waiting. */
    void writable() {
        ReplyWriter.Outgoing o;
        while ((o = completed.poll()) != null) {
            out.add(o);
        }
        pump();
    }

    /** Parses what has been read as far as the limits allow, writes what can go out, and sets the interest. */
    private void pump() {
        try {
            parse();
        } catch (ProtocolViolation e) {
            close(e.getMessage());
            return;
        }
        flush();
        updateInterest();
    }

    /** Selector thread, about once a second: drops a connection whose client stopped reading replies. */
    void checkStall(long now) {
        if (!closed && !out.isEmpty() && now - out.lastProgress() > options.stallTimeout().toNanos()) {
            close("the client read no reply for " + options.stallTimeout().toSeconds() + " s (" + inFlight
                    + " requests outstanding)");
        }
    }

    /** Selector thread: stop reading; close once outstanding requests are answered. */
    void drain() {
        phase = Phase.DRAINING;
        closeAfterWrite = true;
    }

    /** Selector thread, on server close: stop reading, answer what is outstanding, then close. */
    void shutdown() {
        drain();
        flush();
        updateInterest();
    }

    private void parse() {
        in.flip();
        try {
            boolean progress = true;
            while (progress && !closed && phase != Phase.DRAINING && readingAllowed()) {
                progress = step();
            }
        } finally {
            in.compact();
        }
    }

    /** One parsing step on {@code in} (read mode); false when more bytes are needed. */
    private boolean step() {
        switch (phase) {
            case CLIENT_FLAGS -> {
                if (in.remaining() < 4) {
                    return false;
                }
                int flags = in.getInt();
                if ((flags & ~Nbd.CLIENT_FLAGS_KNOWN) != 0 || (flags & Nbd.FLAG_FIXED_NEWSTYLE) == 0) {
                    throw new ProtocolViolation(String.format("client flags 0x%08x: unknown bits or no fixed newstyle", flags));
                }
                negotiation = new OptionNegotiation(server.registry(), (flags & Nbd.FLAG_NO_ZEROES) != 0);
                phase = Phase.OPTION_HEADER;
            }
            case OPTION_HEADER -> {
                if (in.remaining() < 16) {
                    return false;
                }
                long magic = in.getLong();
                if (magic != Nbd.IHAVEOPT) {
                    throw new ProtocolViolation(String.format("option magic 0x%016x, not IHAVEOPT", magic));
                }
                option = in.getInt();
                optionLength = in.getInt();
                if (optionLength < 0 || optionLength > MAX_OPTION) {
                    // the data cannot be skipped cheaply: say why, then hang up
                    negotiation.tooBig(option, Integer.toUnsignedLong(optionLength), MAX_OPTION);
                    out.add(negotiation.takeReplies());
                    closeAfterWrite = true;
                    phase = Phase.DRAINING;
                    LOG.info("NBD client {}: option {} of {} bytes (at most {}): closing", peer, option,
                            Integer.toUnsignedLong(optionLength), MAX_OPTION);
                    return false;
                }
                phase = Phase.OPTION_DATA;
            }
            case OPTION_DATA -> {
                if (in.remaining() < optionLength) {
                    return false;
                }
                byte[] data = new byte[optionLength];
                in.get(data);
                OptionNegotiation.Next next = negotiation.option(option, data);
                out.add(negotiation.takeReplies());
                switch (next) {
                    case CONTINUE -> phase = Phase.OPTION_HEADER;
                    case CLOSE -> {
                        closeAfterWrite = true;
                        phase = Phase.DRAINING;
                    }
                    case TRANSMISSION -> {
                        export = negotiation.selected();
                        handler = new CommandHandler(export, negotiation.structuredReplies(), negotiation.baseAllocation(),
                                pool::take);
                        server.attached(this);
                        phase = Phase.REQUEST_HEADER;
                        LOG.debug("NBD client {}: export '{}' (structured replies {}, base:allocation {})", peer, export.name(),
                                negotiation.structuredReplies(), negotiation.baseAllocation());
                    }
                }
            }
            case REQUEST_HEADER -> {
                if (in.remaining() < Request.HEADER) {
                    return false;
                }
                int magic = in.getInt();
                if (magic != Nbd.REQUEST_MAGIC) {
                    throw new ProtocolViolation(String.format("request magic 0x%08x, not 0x%08x", magic, Nbd.REQUEST_MAGIC));
                }
                int flags = Short.toUnsignedInt(in.getShort());
                int type = Short.toUnsignedInt(in.getShort());
                long cookie = in.getLong();
                long offset = in.getLong();
                long length = Integer.toUnsignedLong(in.getInt());
                request(new Request(flags, type, cookie, offset, length, null));
            }
            case WRITE_PAYLOAD -> {
                ByteBuffer p = pending.payload();
                int n = Math.min(p.remaining(), in.remaining());
                p.put(in.slice(in.position(), n));
                in.position(in.position() + n);
                if (p.hasRemaining()) {
                    return false;
                }
                submit(new Request(pending.flags(), pending.type(), pending.cookie(), pending.offset(), pending.length(),
                        p.flip()), pending.length());
                pending = null;
                phase = Phase.REQUEST_HEADER;
            }
            case DISCARD_PAYLOAD -> {
                int n = (int) Math.min(discard, in.remaining());
                in.position(in.position() + n);
                discard -= n;
                if (discard > 0) {
                    return false;
                }
                phase = Phase.REQUEST_HEADER;
            }
            case DRAINING -> {
                return false;
            }
        }
        return true;
    }

    private void request(Request r) {
        if (r.type() == Nbd.CMD_DISC) {
            LOG.debug("NBD client {}: DISC with {} requests outstanding", peer, inFlight);
            drain();
            return;
        }
        if (r.type() != Nbd.CMD_WRITE) {
            submit(r, r.type() == Nbd.CMD_READ ? Math.min(r.length(), Nbd.MAX_PAYLOAD) : 0);
            return;
        }
        if (r.length() > export.maxPayload() || export.readOnly()) {
            // answered without the data, which is read past and dropped
            submit(r, 0);
            discard = r.length();
            phase = discard > 0 ? Phase.DISCARD_PAYLOAD : Phase.REQUEST_HEADER;
            return;
        }
        pending = new Request(r.flags(), r.type(), r.cookie(), r.offset(), r.length(), pool.takeHeap((int) r.length()));
        held += r.length();
        phase = r.length() > 0 ? Phase.WRITE_PAYLOAD : Phase.REQUEST_HEADER;
        if (r.length() == 0) {
            held -= r.length();
            submit(new Request(r.flags(), r.type(), r.cookie(), r.offset(), 0, ByteBuffer.allocate(0)), 0);
            pending = null;
        }
    }

    /** Sends {@code r} to the LU; its reply comes back through {@link #completed}. */
    private void submit(Request r, long bytes) {
        inFlight++;
        if (r.type() != Nbd.CMD_WRITE) {
            held += bytes;
        }
        long h = bytes;
        handler.handle(r).whenComplete((buffers, e) -> {
            if (e != null) { // the handler maps failures to replies; this is a bug, and the client must not wait for ever
                LOG.error("NBD client {}: {} failed unexpectedly", peer, r.describe(), e);
                buffers = List.of(Replies.simple(r.cookie(), Nbd.EIO));
            }
            // a WRITE's payload is reused only when the LU is done with it (not after a failure: a task the
            // engine gave up on must never see its buffer refilled)
            ByteBuffer reusable = r.type() == Nbd.CMD_WRITE && e == null && CommandHandler.succeeded(buffers) ? r.payload() : null;
            completed.add(new ReplyWriter.Outgoing(buffers, h, true, reusable));
            server.wake(this);
        });
    }

    /** New requests are admitted below the limits; the payload of one admitted is always read. */
    private boolean readingAllowed() {
        return phase == Phase.WRITE_PAYLOAD || phase == Phase.DISCARD_PAYLOAD
                || inFlight < options.maxInFlight() && held < options.maxHeldBytes();
    }

    private void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush(this::sent);
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
            return;
        }
        if (out.isEmpty() && closeAfterWrite && inFlight == 0) {
            close(null);
        }
    }

    /** A reply went out: the request is done. */
    private void sent(ReplyWriter.Outgoing o) {
        held -= o.held();
        if (o.request()) {
            inFlight--;
        }
    }

    private void updateInterest() {
        if (closed || !key.isValid()) {
            return;
        }
        boolean read = phase != Phase.DRAINING && readingAllowed();
        int ops = (read ? SelectionKey.OP_READ : 0) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    void close(String why) {
        if (closed) {
            return;
        }
        closed = true;
        if (why != null) {
            LOG.info("NBD client {}{}: {}: closing", peer, export == null ? "" : " of export '" + export.name() + "'", why);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("NBD client {}: close: {}", peer, e.getMessage());
        }
        server.detached(this);
    }

    boolean closed() {
        return closed;
    }

    /** The client broke the protocol: the connection ends. */
    static final class ProtocolViolation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProtocolViolation(String message) {
            super(message);
        }
    }
}

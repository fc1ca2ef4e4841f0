package org.kiscsi.export.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one connection has to send, on its way to the socket: handshake replies and transmission-phase
 * replies, in order. As many replies as one gathering write takes go out in one system call (a READ
 * reply is one direct buffer, its header in front of its data), so a burst of completions costs one
 * call, not two per reply. Selector thread only.
 */
final class ReplyWriter {
    /** A reply: its buffers, the bytes it held, whether it answers a request, a buffer to reuse once it is sent (or null). */
    record Outgoing(List<ByteBuffer> buffers, long held, boolean request, ByteBuffer reusable) {
    }

    /** Most bytes one write call takes from a heap buffer, to keep the JDK's temporary direct buffers small. */
    private static final int WRITE_WINDOW = 1 << 20;
    /** Heap buffers up to this size (headers, small replies) go into a gathering write. */
    private static final int SMALL_HEAP = 64 * 1024;
    /** Buffers one gathering write takes at most (the kernel's IOV_MAX is 1024). */
    private static final int GATHER = 64;

    private final SocketChannel channel;
    private final BufferPool pool;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> sending = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private long lastProgress = System.nanoTime();

    ReplyWriter(SocketChannel channel, BufferPool pool) {
        this.channel = channel;
        this.pool = pool;
    }

    /** Buffers that answer no request (the greeting, option replies). */
    void add(Collection<ByteBuffer> buffers) {
        out.addAll(buffers);
    }

    void add(Outgoing o) {
        sending.add(o);
        out.addAll(o.buffers());
    }

    /** Nothing left to send. */
    boolean isEmpty() {
        return out.isEmpty();
    }

    /** When bytes last went out (or the queue last emptied). */
    long lastProgress() {
        return lastProgress;
    }

    /**
     * Writes what the socket takes now; {@code sent} hears each reply once all of it went out (its
     * buffers are back in the pool by then).
     */
    void flush(Consumer<Outgoing> sent) throws IOException {
        while (!out.isEmpty()) {
            boolean all = write();
            while (!out.isEmpty() && !out.peek().hasRemaining()) {
                finished(out.poll(), sent);
            }
            if (!all) {
                return; // the socket is full: wait until it is writable
            }
        }
        lastProgress = System.nanoTime();
    }

    /**
     * One write call: the queued buffers up to the first large heap one, or a window of that one alone;
     * whether all it offered went out.
     */
    private boolean write() throws IOException {
        ByteBuffer first = out.peek();
        long offered;
        long n;
        if (!first.isDirect() && first.remaining() > SMALL_HEAP) {
            // the JDK copies a heap buffer through a temporary direct one of its size: keep that small
            int window = Math.min(first.remaining(), WRITE_WINDOW);
            offered = window;
            n = channel.write(first.slice(first.position(), window));
            first.position(first.position() + (int) n);
        } else {
            int count = 0;
            offered = 0;
            for (ByteBuffer b : out) {
                if (count == gather.length || count > 0 && !b.isDirect() && b.remaining() > SMALL_HEAP) {
                    break;
                }
                gather[count++] = b;
                offered += b.remaining();
            }
            try {
                n = channel.write(gather, 0, count);
            } finally {
                Arrays.fill(gather, 0, count, null);
            }
        }
        if (n > 0) {
            lastProgress = System.nanoTime();
        }
        return n == offered;
    }

    /** A buffer went out: when it was its reply's last, the reply is done and its buffers go back to the pool. */
    private void finished(ByteBuffer b, Consumer<Outgoing> sent) {
        Outgoing o = sending.peek();
        if (o != null && o.buffers().get(o.buffers().size() - 1) == b) {
            sending.poll();
            o.buffers().forEach(pool::give); // READ replies (other replies are heap buffers, which the pool ignores)
            if (o.reusable() != null) {
                pool.give(o.reusable());
            }
            sent.accept(o);
        }
    }
}

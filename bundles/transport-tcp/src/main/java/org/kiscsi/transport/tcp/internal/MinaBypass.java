package org.kiscsi.transport.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.util.function.Consumer;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.IoBufferAllocator;
import org.apache.mina.core.buffer.SimpleBufferAllocator;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * Every place where one connection goes around Apache MINA's normal path, and why. MINA keeps the
 * selector, the connect, the write queue and the session's life; the bytes of the data path take
 * shorter ways, all on the session's own channel and, but for {@link #wrap}, on its I/O thread.
 * The other half is {@link ReadLoopProcessor}, the processor MINA is given, which calls in here.
 * <ul>
 * <li><b>Reads</b> ({@link #read(int, Consumer)}): MINA would read into a buffer from its JVM-wide
 * allocator, by default a zeroed heap array per read that the JDK fills through a temporary direct
 * buffer (a copy per read); installing another allocator would change it for every MINA user in the
 * JVM (Karaf's SSH server among them). The processor therefore reads a kiscsi session here, into a
 * direct buffer of the transport's own pool ({@link ReadBuffers}), sized as MINA sizes its reads,
 * and tells MINA it read nothing (or the end of the stream).</li>
 * <li><b>Direct reads</b> ({@link #read(ByteBuffer, ByteBuffer)}): a large data segment under way is
 * read straight into its destination ({@link Inbound}), not into a read buffer and then copied, and
 * in the same scattering read the next PDU's header, if it is there.</li>
 * <li><b>Direct writes</b> ({@link #write}): on the I/O thread, with nothing in MINA's queue, PDUs go
 * out in one gathering write, not one write request, future and system call per buffer.</li>
 * <li><b>Wrapping</b> ({@link #wrap}): MINA frees each buffer it wrote; buffers are wrapped by an
 * allocator of our own, so whatever allocator is installed JVM-wide can never take a frame of ours
 * into its cache.</li>
 * </ul>
 */
final class MinaBypass {
    /** Its buffers' {@code free()} does nothing: our frames go back to our own pools only. */
    private static final IoBufferAllocator WRAPPER = new SimpleBufferAllocator();
    /** Read sizes as MINA adapts them: halved after a read of less than half, doubled after a full one. */
    static final int MIN_READ = 4 * 1024;
    static final int FIRST_READ = 16 * 1024;
    static final int MAX_READ = 64 * 1024;

    private final IoSession session;
    /** The socket, or null for a session that is not NIO (then nothing goes around MINA). */
    private final ByteChannel channel;
    private final ReadBuffers readBuffers;
    /** The size of the next read (I/O thread only). */
    private int readSize = FIRST_READ;
    /** Bytes read and written on the I/O thread since the last {@link #recentBytes} (I/O thread only). */
    private long passBytes;
    private long recentBytes;
    /** The two parts of a scattering read (I/O thread only; emptied after each read). */
    private final ByteBuffer[] scatter = new ByteBuffer[2];

    MinaBypass(IoSession session, ReadBuffers readBuffers) {
        this.session = session;
        this.channel = session instanceof NioSession nio ? nio.getChannel() : null;
        this.readBuffers = readBuffers;
    }

    /** A buffer for MINA's write queue, wrapped by our own allocator. */
    static IoBuffer wrap(ByteBuffer b) {
        return WRAPPER.wrap(b);
    }

    /**
     * One read of the socket in place of MINA's: into a pooled direct buffer of the current read
     * size, or at most {@code cap} bytes (0: no cap). What it read goes to {@code received} (which
     * owns the buffer from then on); returns the count, 0 when the socket was empty, -1 at its end.
     */
    int read(int cap, Consumer<ByteBuffer> received) throws IOException {
        if (channel == null) {
            return 0;
        }
        int size = readSize;
        ByteBuffer b = readBuffers.take(size);
        if (cap > 0 && cap < size) {
            b.limit(cap);
        }
        int n;
        try {
            n = channel.read(b);
        } catch (IOException | RuntimeException e) {
            readBuffers.give(b);
            throw e;
        }
        if (n <= 0) {
            readBuffers.give(b);
            return n;
        }
        // as MINA adapts its read buffer, against the uncapped size
        if (n << 1 < size) {
            readSize = Math.max(size >>> 1, MIN_READ);
        } else if (n == size) {
            readSize = Math.min(size << 1, MAX_READ);
        }
        passBytes += n;
        received.accept(b.flip());
        return n;
    }

    /** The size of the next {@link #read(int, Consumer)} (for tests). */
    int readSize() {
        return readSize;
    }

    /** Reads the socket into {@code dst} without waiting: bytes read, 0 when none are there, -1 at its end. */
    int read(ByteBuffer dst) throws IOException {
        if (channel == null) {
            return 0;
        }
        int n = channel.read(dst);
        passBytes += Math.max(n, 0);
        return n;
    }

    /**
     * Reads the socket into {@code dst} and, once that is full, on into {@code then}: one scattering
     * read (one system call), without waiting; bytes read, 0 when none are there, -1 at its end.
     */
    int read(ByteBuffer dst, ByteBuffer then) throws IOException {
        if (!(channel instanceof ScatteringByteChannel s)) {
            return read(dst);
        }
        ByteBuffer[] parts = scatter;
        parts[0] = dst;
        parts[1] = then;
        long n;
        try {
            n = s.read(parts);
        } finally {
            parts[0] = null;
            parts[1] = null;
        }
        passBytes += Math.max(n, 0);
        return (int) n;
    }

    /**
     * Writes {@code parts} to the socket in one gathering write. Only on the I/O thread with
     * {@link #writeQueueEmpty}: only that thread takes from MINA's queue, and it is empty, so order
     * holds. True when all was written; what the socket did not take (the buffers' positions tell)
     * then goes through MINA.
     */
    boolean write(ByteBuffer[] parts) throws IOException {
        if (!(channel instanceof GatheringByteChannel g)) {
            return false;
        }
        passBytes += g.write(parts);
        for (ByteBuffer b : parts) {
            if (b.hasRemaining()) {
                return false;
            }
        }
        return true;
    }

    /** Whether MINA has no write of this session under way or queued (only then may the I/O thread write itself). */
    boolean writeQueueEmpty() {
        return session.getCurrentWriteRequest() == null && session.getWriteRequestQueue().isEmpty(session);
    }

    /** Bytes MINA wrote from its queue on the I/O thread (reads and writes here count themselves). */
    void moved(long bytes) {
        passBytes += bytes;
    }

    /**
     * Bytes read and written on the I/O thread in recent passes, each pass weighing half the one
     * after it (steady traffic of n bytes a pass gives about 2n); one call per pass, I/O thread only.
     */
    long recentBytes() {
        recentBytes = recentBytes / 2 + passBytes;
        passBytes = 0;
        return recentBytes;
    }
}

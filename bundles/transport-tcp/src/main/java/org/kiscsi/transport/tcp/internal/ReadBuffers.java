package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffers one transport's sockets are read into ({@link MinaBypass#read}): direct, so the JDK reads
 * into them without a temporary buffer and a copy, and pooled, so a read allocates nothing. The
 * receive side gives each back once every PDU in it was framed, on whatever thread that was.
 *
 * <p>This is the transport's own pool, not MINA's allocator: {@code IoBuffer.setAllocator} is a
 * JVM-wide setting, and other MINA users in the same framework (Karaf's SSH server among them) must
 * keep theirs.
 */
final class ReadBuffers {
    private static final Logger LOG = LoggerFactory.getLogger(ReadBuffers.class);

    /** System property that turns pooling off (for measuring what it brings): a heap buffer per read. */
    static final String PROPERTY = "kiscsi.tcp.pooledReadBuffers";
    /** The read sizes (MINA's read buffer sizing: 4 to 64 KiB) and, for a header read ahead, the smallest. */
    private static final int[] SIZES = {4096, 8192, 16384, 32768, 65536};
    /** Kept per size class: bounds a transport's idle read buffers at about 2.4 MiB. */
    private static final int[] KEEP = {32, 32, 32, 16, 16};

    private final FramePool pool;

    ReadBuffers() {
        this(Boolean.parseBoolean(System.getProperty(PROPERTY, "true")));
    }

    ReadBuffers(boolean pooling) {
        if (!pooling) {
            LOG.debug("{}=false: a heap buffer per read", PROPERTY);
        }
        pool = new FramePool(SIZES, KEEP, pooling);
    }

    /** A buffer of exactly {@code size} bytes (position 0, limit size). */
    ByteBuffer take(int size) {
        return pool.take(size);
    }

    /** Gives back a buffer {@link #take} returned (any other buffer is left to the garbage collector). */
    void give(ByteBuffer b) {
        pool.give(b);
    }

    /** Direct buffers allocated so far: with pooling, far fewer than reads. */
    long created() {
        return pool.created();
    }
}

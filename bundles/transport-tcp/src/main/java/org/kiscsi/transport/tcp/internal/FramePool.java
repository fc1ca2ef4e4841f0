package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for outgoing PDU frames, kept per connection and reused. Direct, because the JDK
 * copies a heap buffer into a temporary direct one on every socket write; pooled, because a fresh
 * frame per PDU is an allocation (and zeroing) per PDU on the data path. A connection's frames go back
 * here when MINA has written them; once the connection closed nothing more is taken, so a frame
 * still in a closing socket's queue can never be handed to another PDU.
 *
 * <p>With size classes of its own, the same pool holds a transport's read buffers ({@link ReadBuffers}).
 */
final class FramePool {
    /**
     * Size classes: a header with digests, then 4, 8 (the RFC's default MaxRecvDataSegmentLength,
     * tgtd's) and 16 KiB segments, each with room for framing. How many of each are kept bounds a
     * connection's pool at about 8 MiB.
     */
    private static final int[] SIZES = {256, 4096 + 256, 8192 + 256, 16384 + 256};
    private static final int[] KEEP = {512, 256, 512, 128};
    /** A pool that pools nothing: every frame is a fresh heap buffer (tests of the layout). */
    static final FramePool NONE = new FramePool(false);

    private final int[] sizes;
    private final int[] keep;
    private final boolean pooling;
    /** Direct buffers allocated so far (a pool that works allocates few). */
    private final java.util.concurrent.atomic.AtomicLong created = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentLinkedQueue<ByteBuffer>[] free;
    private final AtomicInteger[] kept;

    FramePool() {
        this(true);
    }

    private FramePool(boolean pooling) {
        this(SIZES, KEEP, pooling);
    }

    /** A pool of direct buffers in the size classes {@code sizes} (ascending), at most {@code keep[i]} kept of each. */
    @SuppressWarnings("unchecked")
    FramePool(int[] sizes, int[] keep, boolean pooling) {
        this.sizes = sizes.clone();
        this.keep = keep.clone();
        this.pooling = pooling;
        free = new ConcurrentLinkedQueue[sizes.length];
        kept = new AtomicInteger[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
            kept[i] = new AtomicInteger();
        }
    }

    /** The largest data segment a pooled frame holds (bigger ones are sent from the caller's memory). */
    static int largestPooledSegment() {
        return SIZES[SIZES.length - 1] - 256;
    }

    /** A buffer of exactly {@code size} bytes (position 0, limit size), contents undefined. */
    ByteBuffer take(int size) {
        int c = sizeClass(size);
        if (c < 0) {
            if (!pooling) {
                return ByteBuffer.allocate(size);
            }
            created.incrementAndGet();
            return ByteBuffer.allocateDirect(size);
        }
        ByteBuffer b = free[c].poll();
        if (b == null) {
            created.incrementAndGet();
            b = ByteBuffer.allocateDirect(sizes[c]);
        } else {
            kept[c].decrementAndGet();
        }
        return b.clear().limit(size);
    }

    /** Gives back a buffer {@link #take} returned. */
    void give(ByteBuffer b) {
        int c = pooling && b.isDirect() ? indexOf(b.capacity()) : -1;
        if (c >= 0 && kept[c].incrementAndGet() <= keep[c]) {
            free[c].offer(b);
        } else if (c >= 0) {
            kept[c].decrementAndGet();
        }
    }

    private int sizeClass(int size) {
        if (!pooling) {
            return -1;
        }
        for (int i = 0; i < sizes.length; i++) {
            if (size <= sizes[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Direct buffers this pool has allocated so far. */
    long created() {
        return created.get();
    }

    private int indexOf(int capacity) {
        for (int i = 0; i < sizes.length; i++) {
            if (capacity == sizes[i]) {
                return i;
            }
        }
        return -1;
    }
}

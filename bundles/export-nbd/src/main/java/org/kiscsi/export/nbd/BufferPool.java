package org.kiscsi.export.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Direct buffers for READ replies, used again once their reply is sent:
 * the socket reads into and writes from them without the JDK's copy through a temporary direct buffer,
 * and no request allocates (and zeroes) a fresh array. Sizes are rounded up to a power of two (plus
 * {@link #SLACK}); what the
 * pool keeps is bounded, and larger requests get heap buffers. Selector thread only.
 */
final class BufferPool {
    /** Larger requests are rare (clients send 256 KiB to 2 MiB): not worth keeping off-heap memory for. */
    static final int MAX_POOLED = 4 << 20;
    /** The most a server keeps: what nbdcopy holds in flight (4 connections of 64 requests of 256 KiB). */
    static final long MAX_KEPT = 64L << 20;
    private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
    private final long maxKept;
    /** Written on the selector thread only; volatile for those who watch it. */
    private volatile long kept;

    BufferPool(long maxKept) {
        this.maxKept = maxKept;
    }

    /**
     * Bytes beyond a power of two each buffer has: room for a reply's header in front of data of a
     * power-of-two length, without doubling the buffer.
     */
    static final int SLACK = 64;

    /** A buffer of {@code n} bytes (position 0, limit n). */
    ByteBuffer take(int n) {
        if (n > MAX_POOLED + SLACK || n == 0) {
            return ByteBuffer.allocate(n);
        }
        int cap = Math.max(4096, Integer.highestOneBit(Math.max(n - SLACK, 1) - 1) << 1) + SLACK;
        ArrayDeque<ByteBuffer> q = free.get(cap);
        ByteBuffer b = q == null ? null : q.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(cap);
        } else {
            kept -= cap;
        }
        return b.clear().limit(n);
    }

    /** {@code b} is no longer used by anyone: keep it for a later request, within the bound. */
    void give(ByteBuffer b) {
        if (!b.isDirect() || b.capacity() > MAX_POOLED + SLACK || kept + b.capacity() > maxKept) {
            return;
        }
        kept += b.capacity();
        free.computeIfAbsent(b.capacity(), c -> new ArrayDeque<>()).add(b);
    }

    long kept() {
        return kept;
    }
}

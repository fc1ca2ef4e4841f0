package org.kiscsi.export.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Buffers used again once their request is done: direct ones for READ replies (the socket writes from
 * them without the JDK's copy through a temporary direct buffer) and heap ones for WRITE payloads, so no
 * request allocates (and zeroes) a fresh buffer and copies leave no garbage for the collector. Sizes
 * are rounded up to a power of two (plus {@link #SLACK}); what the pool keeps of each kind is bounded,
 * and larger requests get fresh heap buffers. Selector thread only.
 */
final class BufferPool {
    /** Larger requests are rare (clients send 256 KiB to 2 MiB): not worth keeping memory for. */
    static final int MAX_POOLED = 4 << 20;
    /** The most a server keeps: what nbdcopy holds in flight (4 connections of 64 requests of 256 KiB). */
    static final long MAX_KEPT = 64L << 20;
    /**
     * Bytes beyond a power of two each buffer has: room for a reply's header in front of data of a
     * power-of-two length, without doubling the buffer.
     */
    static final int SLACK = 64;
    private static final int MIN_CLASS = 4096;

    private final Map<Integer, ArrayDeque<ByteBuffer>> direct = new HashMap<>();
    private final Map<Integer, ArrayDeque<ByteBuffer>> heap = new HashMap<>();
    private final long maxKept;
    private final long maxKeptHeap;
    /** Written on the selector thread only; volatile for those who watch it. */
    private volatile long kept;
    private volatile long keptHeap;
    private volatile long allocated;

    /** At most {@code maxKept} bytes of direct buffers and a quarter of that of heap ones. */
    BufferPool(long maxKept) {
        this.maxKept = maxKept;
        this.maxKeptHeap = maxKept / 4;
    }

    /** A direct buffer of {@code n} bytes (position 0, limit n); a heap one past {@link #MAX_POOLED}. */
    ByteBuffer take(int n) {
        return take(n, true);
    }

    /** A heap buffer of {@code n} bytes (position 0, limit n), with an array. */
    ByteBuffer takeHeap(int n) {
        return take(n, false);
    }

    private ByteBuffer take(int n, boolean isDirect) {
        if (n > MAX_POOLED + SLACK || n == 0) {
            return ByteBuffer.allocate(n);
        }
        int cap = Math.max(MIN_CLASS, Integer.highestOneBit(Math.max(n - SLACK, 1) - 1) << 1) + SLACK;
        ArrayDeque<ByteBuffer> q = (isDirect ? direct : heap).get(cap);
        ByteBuffer b = q == null ? null : q.poll();
        if (b == null) {
            b = isDirect ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap);
            allocated++;
        } else if (isDirect) {
            kept -= cap;
        } else {
            keptHeap -= cap;
        }
        return b.clear().limit(n);
    }

    /** {@code b} is no longer used by anyone: keep it for a later request, within the bound. */
    void give(ByteBuffer b) {
        int cap = b.capacity();
        if (cap > MAX_POOLED + SLACK || cap < MIN_CLASS + SLACK || Integer.bitCount(cap - SLACK) != 1) {
            return; // not one of ours (a reply header, an error reply, a large request)
        }
        if (b.isDirect()) {
            if (kept + cap <= maxKept) {
                kept += cap;
                direct.computeIfAbsent(cap, c -> new ArrayDeque<>()).add(b);
            }
        } else if (keptHeap + cap <= maxKeptHeap) {
            keptHeap += cap;
            heap.computeIfAbsent(cap, c -> new ArrayDeque<>()).add(b);
        }
    }

    long kept() {
        return kept;
    }

    /** Buffers of a size class made so far (not taken from what was kept). */
    long allocated() {
        return allocated;
    }

    long keptHeap() {
        return keptHeap;
    }
}

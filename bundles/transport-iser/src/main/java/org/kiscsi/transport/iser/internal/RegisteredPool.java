package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * A connection's registered memory, bounded: at most {@code chunks} chunks of {@code chunkSize}
 * bytes, each registered once (on first need) for local write and window binding, and cut
 * by a buddy allocator into power-of-two blocks of 4 KiB and up, as libiscsi does with its 4 MiB
 * chunks. Sends and the bounce buffers of task data take blocks from it, so the number of
 * registrations (a system call each on hardware) stays at most {@code chunks} however many I/Os go.
 * A buddy allocator rather than fixed size classes: one chunk serves 4 KiB control PDUs and a
 * megabyte of data alike, and freed neighbours merge again, so a small pool is not carved up for
 * good by the first sizes it saw.
 *
 * <p>Chunks are registered for local write and window binding only (IBV_ACCESS_MW_BIND): a chunk's
 * own rkey grants the target nothing; a task's data block is exposed through a memory window bound
 * for that task alone ({@link TaskWindows}), whose rkey is invalidated when the task ends. On a
 * device without windows chunks are registered for local write only ({@link #LOCAL_ONLY}) and each
 * task registers its block again, with remote access, for its own time.
 */
final class RegisteredPool {
    /** The smallest block. */
    static final int UNIT = 4096;

    /**
     * A block handed out; give it back with {@link #release}. {@code chunk} -1: a registration of its
     * own (a Send when the pool had no room), deregistered when released.
     */
    record Block(MemoryRegion mr, int chunk, int offset, int order, int length) {
        /** The block's bytes: position 0, limit its length. */
        ByteBuffer buffer() {
            return mr.buffer().slice(offset, length);
        }

        long address() {
            return mr.address() + offset;
        }

        int rkey() {
            return mr.rkey();
        }

        org.kiscsi.transport.iser.verbs.Sge sge(int from, int bytes) {
            return mr.sge(offset + from, bytes);
        }
    }

    /** No remote access of its own: the target reaches a block only through a memory window bound over it for one task. */
    static final Set<Access> WINDOWED = EnumSet.of(Access.LOCAL_WRITE, Access.MW_BIND);
    /** Without memory windows: a task's block is registered again for that task alone, with remote access. */
    static final Set<Access> LOCAL_ONLY = EnumSet.of(Access.LOCAL_WRITE);
    private final Set<Access> access;
    private final ProtectionDomain pd;
    private final int chunkSize;
    private final int maxOrder;
    private final MemoryRegion[] regions;
    /** Free blocks per order, as chunk << 32 | unit offset. */
    private final TreeSet<Long>[] free;
    private int registrations;
    private long bytesInUse;
    private boolean closed;

    @SuppressWarnings("unchecked")
    RegisteredPool(ProtectionDomain pd, int chunkSize, int chunks, Set<Access> access) {
        this.access = Set.copyOf(access);
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < UNIT) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not a power of two of at least " + UNIT);
        }
        this.pd = pd;
        this.chunkSize = chunkSize;
        this.maxOrder = Integer.numberOfTrailingZeros(chunkSize / UNIT);
        this.regions = new MemoryRegion[chunks];
        this.free = new TreeSet[maxOrder + 1];
        for (int i = 0; i <= maxOrder; i++) {
            free[i] = new TreeSet<>();
        }
    }

    /** The largest block the pool hands out: one chunk. */
    int largest() {
        return chunkSize;
    }

    private static int order(int size) {
        int units = (Math.max(size, 1) + UNIT - 1) / UNIT;
        return 32 - Integer.numberOfLeadingZeros(units - 1);
    }

    /**
     * A block of at least {@code size} bytes, or null when the pool has none free now (every chunk
     * registered and in use) or {@code size} is over {@link #largest()}.
     *
     * @throws VerbsException when the pool is closed or registering a chunk fails
     */
    synchronized Block take(int size) throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "the connection's registered memory is released");
        }
        if (size > chunkSize) {
            return null;
        }
        int want = order(size);
        int o = want;
        while (o <= maxOrder && free[o].isEmpty()) {
            o++;
        }
        if (o > maxOrder) {
            if (!registerChunk()) {
                return null;
            }
            o = maxOrder;
        }
        long key = free[o].pollFirst();
        while (o > want) { // split: the upper half stays free
            o--;
            free[o].add(key + (1L << o));
        }
        int chunk = (int) (key >>> 32);
        int offset = (int) key * UNIT;
        bytesInUse += (long) UNIT << want;
        return new Block(regions[chunk], chunk, offset, want, size);
    }

    private boolean registerChunk() throws VerbsException {
        for (int i = 0; i < regions.length; i++) {
            if (regions[i] == null) {
                regions[i] = pd.register(ByteBuffer.allocateDirect(chunkSize), access);
                registrations++;
                free[maxOrder].add((long) i << 32);
                return true;
            }
        }
        return false;
    }

    /** A block for a Send: from the pool, or registered on its own when the pool has no room. */
    Block takeForSend(int size) throws VerbsException {
        Block b = take(size);
        if (b != null) {
            return b;
        }
        MemoryRegion own = pd.register(ByteBuffer.allocateDirect(size), Set.of());
        synchronized (this) {
            registrations++;
        }
        return new Block(own, -1, 0, 0, size);
    }

    /** Takes a block back and merges it with its free buddies; after {@link #close} only own registrations are dropped. */
    synchronized void release(Block b) {
        if (b.chunk() < 0) {
            b.mr().deregister();
            return;
        }
        bytesInUse -= (long) UNIT << b.order();
        if (closed) {
            return;
        }
        long key = (long) b.chunk() << 32 | (b.offset() / UNIT);
        int o = b.order();
        while (o < maxOrder) {
            long buddy = key ^ (1L << o);
            if (!free[o].remove(buddy)) {
                break;
            }
            key = Math.min(key, buddy);
            o++;
        }
        free[o].add(key);
    }

    /** Registrations made: chunks, and Sends registered on their own. */
    synchronized int registrations() {
        return registrations;
    }

    /** Bytes of the pool's blocks handed out and not given back (rounded up to their blocks). */
    synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes the pool may register at most. */
    long capacity() {
        return (long) chunkSize * regions.length;
    }

    synchronized void close() {
        closed = true;
        for (MemoryRegion r : regions) {
            if (r != null) {
                r.deregister();
            }
        }
    }
}

package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * Registered memory for Sends, reused: blocks in power-of-two size classes from 256 bytes, each
 * registered once (local access only: the peer never reaches it) and kept until the pool closes.
 * Also direct memory for bounce buffers, unregistered (a task registers its own window).
 */
final class RegisteredPool {
    /** A registered block handed out; give it back with {@link #release}. */
    record Block(MemoryRegion mr, int sizeClass) {
        ByteBuffer buffer() {
            return mr.buffer();
        }
    }

    private static final int MIN_SHIFT = 8;
    private static final int CLASSES = 25; // up to 2^32, more than a data segment can be
    private final ProtectionDomain pd;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Block>[] free = new ArrayDeque[CLASSES];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<ByteBuffer>[] bounce = new ArrayDeque[CLASSES];
    private int registered;
    private boolean closed;

    RegisteredPool(ProtectionDomain pd) {
        this.pd = pd;
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ArrayDeque<>();
            bounce[i] = new ArrayDeque<>();
        }
    }

    private static int sizeClass(int size) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(size, 1) - 1);
        return Math.max(0, bits - MIN_SHIFT);
    }

    synchronized Block take(int size) throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "the connection's registered memory is released");
        }
        int c = sizeClass(size);
        Block b = free[c].poll();
        if (b != null) {
            return b;
        }
        registered++;
        return new Block(pd.register(ByteBuffer.allocateDirect(1 << (c + MIN_SHIFT)), Set.of()), c);
    }

    /** Takes a block back; after {@link #close} it is deregistered (it was out when the pool closed). */
    synchronized void release(Block b) {
        if (closed) {
            b.mr().deregister();
        } else {
            free[b.sizeClass()].push(b);
        }
    }

    /** Direct memory of at least {@code size} bytes for a task's bounce buffer (position 0, limit size). */
    synchronized ByteBuffer bounce(int size) {
        int c = sizeClass(size);
        ByteBuffer b = bounce[c].poll();
        return (b != null ? b : ByteBuffer.allocateDirect(1 << (c + MIN_SHIFT))).clear().limit(size);
    }

    synchronized void giveBack(ByteBuffer b) {
        if (!closed) {
            bounce[sizeClass(b.capacity())].push(b);
        }
    }

    synchronized int registrations() {
        return registered;
    }

    static Set<Access> remote(boolean peerWrites) {
        return peerWrites ? EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE) : EnumSet.of(Access.REMOTE_READ);
    }

    synchronized void close() {
        closed = true;
        for (ArrayDeque<Block> q : free) {
            q.forEach(b -> b.mr().deregister());
            q.clear();
        }
    }
}

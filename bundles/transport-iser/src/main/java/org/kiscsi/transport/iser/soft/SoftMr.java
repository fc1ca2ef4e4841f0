package org.kiscsi.transport.iser.soft;

import java.nio.ByteBuffer;
import java.util.Set;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;

/** Registered memory of a {@link SoftPd}: its bytes, virtual base address, key and access. */
final class SoftMr implements MemoryRegion {
    private final SoftPd pd;
    private final ByteBuffer memory;
    private final long address;
    private final int key;
    private final Set<Access> access;
    private volatile boolean valid = true;
    /** Windows bound over it (some may be invalid by now): its deregistration ends them. */
    private final Set<SoftMw> windows = java.util.concurrent.ConcurrentHashMap.newKeySet();

    SoftMr(SoftPd pd, ByteBuffer memory, long address, int key, Set<Access> access) {
        this.pd = pd;
        this.memory = memory;
        this.address = address;
        this.key = key;
        this.access = access;
    }

    @Override
    public ByteBuffer buffer() {
        return memory.duplicate().clear();
    }

    ByteBuffer memory() {
        return memory;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public int length() {
        return memory.capacity();
    }

    @Override
    public int lkey() {
        return key;
    }

    @Override
    public int rkey() {
        return key;
    }

    @Override
    public Set<Access> access() {
        return access;
    }

    @Override
    public boolean valid() {
        return valid;
    }

    /** Whether [at, at+length) lies inside. */
    boolean covers(long at, int length) {
        return at >= address && length >= 0 && at + length <= address + memory.capacity();
    }

    /**
     * Ends the region. An RDMA access running now finishes first ({@link #access}): once this
     * returns, the peer can reach the memory no more, as a device's deregistration guarantees.
     */
    void invalidate() {
        synchronized (this) {
            valid = false;
        }
        pd.forget(this);
        // hardware refuses to deregister a region with bound windows (EBUSY); this provider ends them with it
        windows.forEach(w -> w.invalidate(w.rkey()));
        windows.clear();
    }

    void bound(SoftMw w) {
        windows.add(w);
    }

    /** Runs {@code move} on the region's bytes if it is still valid; false (and nothing moved) when it is not. */
    synchronized boolean access(java.util.function.Consumer<ByteBuffer> move) {
        if (!valid) {
            return false;
        }
        move.accept(memory);
        return true;
    }

    SoftPd pd() {
        return pd;
    }

    @Override
    public void deregister() {
        invalidate();
    }

    @Override
    public String toString() {
        return String.format("MR key 0x%08x at 0x%x+%d %s", key, address, memory.capacity(), access);
    }
}

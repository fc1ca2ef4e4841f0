package org.kiscsi.transport.iser.ibverbs;

import java.nio.ByteBuffer;
import java.util.Set;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;

/** An ibv_mr over a direct buffer. */
final class IbMr implements MemoryRegion {
    private final long mr;
    private final ByteBuffer buffer;
    private final Set<Access> access;
    private final long address;
    private final int lkey;
    private final int rkey;
    private final java.util.Map<Integer, IbMr> byRkey;
    private volatile boolean valid = true;
    private boolean registered = true;

    IbMr(long mr, ByteBuffer buffer, Set<Access> access, java.util.Map<Integer, IbMr> byRkey) {
        this.mr = mr;
        this.buffer = buffer;
        this.access = Set.copyOf(access);
        this.address = NativeRdma.mrAddress(mr);
        long keys = NativeRdma.mrKeys(mr);
        this.lkey = (int) (keys >>> 32);
        this.rkey = (int) keys;
        this.byRkey = byRkey;
        byRkey.put(rkey, this);
    }

    /** The ibv_mr, for binding windows over it. */
    long pointer() {
        return mr;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer.duplicate().clear();
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public int length() {
        return buffer.capacity();
    }

    @Override
    public int lkey() {
        return lkey;
    }

    @Override
    public int rkey() {
        return rkey;
    }

    @Override
    public Set<Access> access() {
        return access;
    }

    @Override
    public boolean valid() {
        return valid;
    }

    /** A Send with Invalidate named this region's STag. */
    void invalidated() {
        valid = false;
    }

    @Override
    public synchronized void deregister() {
        valid = false;
        if (registered) {
            registered = false;
            byRkey.remove(rkey, this);
            try {
                NativeRdma.deregMr(mr);
            } catch (NativeError e) {
                // the region stays registered until its protection domain goes; nothing else to do
            }
        }
    }
}

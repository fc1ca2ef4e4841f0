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

    void invalidate() {
        valid = false;
        pd.forget(this);
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

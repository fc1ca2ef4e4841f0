package org.kiscsi.transport.iser.verbs;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Registered memory. Its {@link #rkey()} is the STag a peer names in RDMA operations and its
 * {@link #address()} the base of the virtual addresses (absolute, not zero-based) it covers.
 */
public interface MemoryRegion {
    /** The registered bytes: position 0, limit {@link #length()}; a view shared with the region. */
    ByteBuffer buffer();

    long address();

    int length();

    int lkey();

    /** The STag. */
    int rkey();

    Set<Access> access();

    /** False once deregistered or invalidated (by Send with Invalidate). */
    boolean valid();

    /** A scatter/gather entry over {@code length} bytes from {@code offset}. */
    default Sge sge(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > length()) {
            throw new IndexOutOfBoundsException(offset + "+" + length + " outside a region of " + length() + " bytes");
        }
        return new Sge(address() + offset, length, lkey());
    }

    /** Deregisters: the STag is invalid from now on. Deregistering twice is harmless. */
    void deregister();
}

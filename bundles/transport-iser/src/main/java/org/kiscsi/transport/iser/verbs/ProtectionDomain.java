package org.kiscsi.transport.iser.verbs;

import java.nio.ByteBuffer;
import java.util.Set;

/** A protection domain: memory registered here is reachable by its queue pairs only. */
public interface ProtectionDomain extends AutoCloseable {
    /**
     * Registers {@code memory}'s remaining bytes (a binding of real hardware takes direct buffers
     * only).
     *
     * @throws VerbsException {@code INVALID} for memory the provider cannot register, or access
     *         REMOTE_WRITE without LOCAL_WRITE
     */
    MemoryRegion register(ByteBuffer memory, Set<Access> access) throws VerbsException;

    /**
     * Allocates a type 2 memory window (ibv_alloc_mw, IBV_MW_TYPE_2): not bound, so its rkey grants
     * nothing until {@link QueuePair#postBind} binds it over part of a region registered with
     * {@link Access#MW_BIND}. Allocated once and bound again for each use, a window gives every use an
     * rkey of its own without registering memory.
     *
     * @throws VerbsException {@code UNSUPPORTED} when the provider or its binding has no memory
     *         windows, {@code RESOURCE} when the device has no more
     */
    MemoryWindow allocateWindow() throws VerbsException;

    @Override
    void close();
}

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

    @Override
    void close();
}

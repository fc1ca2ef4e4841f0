package org.kiscsi.transport.iser.ibverbs;

import java.nio.ByteBuffer;
import java.util.Set;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.MemoryWindow;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/** An ibv_pd. */
final class IbPd implements ProtectionDomain {
    private static final int IBV_ACCESS_LOCAL_WRITE = 1;
    private static final int IBV_ACCESS_REMOTE_WRITE = 2;
    private static final int IBV_ACCESS_REMOTE_READ = 4;
    private static final int IBV_ACCESS_MW_BIND = 16;
    final long pd;
    private final java.util.Map<Integer, IbMr> regions;
    private final java.util.Map<Integer, IbMw> windows;
    private final String device;
    private boolean closed;

    IbPd(long pd, java.util.Map<Integer, IbMr> regions, java.util.Map<Integer, IbMw> windows, String device) {
        this.pd = pd;
        this.regions = regions;
        this.windows = windows;
        this.device = device;
    }

    @Override
    public synchronized MemoryRegion register(ByteBuffer memory, Set<Access> access) throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "the protection domain is closed");
        }
        if (!memory.isDirect()) {
            throw new VerbsException(VerbsException.Reason.INVALID, "libibverbs registers direct buffers only, not a heap buffer");
        }
        if (access.contains(Access.REMOTE_WRITE) && !access.contains(Access.LOCAL_WRITE)) {
            throw new VerbsException(VerbsException.Reason.INVALID, "REMOTE_WRITE needs LOCAL_WRITE");
        }
        int flags = (access.contains(Access.LOCAL_WRITE) ? IBV_ACCESS_LOCAL_WRITE : 0)
                | (access.contains(Access.REMOTE_WRITE) ? IBV_ACCESS_REMOTE_WRITE : 0)
                | (access.contains(Access.REMOTE_READ) ? IBV_ACCESS_REMOTE_READ : 0)
                | (access.contains(Access.MW_BIND) ? IBV_ACCESS_MW_BIND : 0);
        ByteBuffer view = memory.slice();
        try {
            long mr = NativeRdma.regMr(pd, memory, memory.position(), memory.remaining(), flags);
            return new IbMr(mr, view, access, regions);
        } catch (NativeError e) {
            throw new VerbsException(VerbsException.Reason.RESOURCE, "registering " + memory.remaining() + " bytes: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized MemoryWindow allocateWindow() throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "the protection domain is closed");
        }
        try {
            return new IbMw(NativeRdma.allocMw(pd), this, windows);
        } catch (NativeError e) {
            throw new VerbsException(e.unsupported() ? VerbsException.Reason.UNSUPPORTED : VerbsException.Reason.RESOURCE,
                    device + " has no type 2 memory window for this protection domain: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                NativeRdma.deallocPd(pd);
            } catch (NativeError e) {
                // still in use by a queue pair or a registration: the device's close releases it
            }
        }
    }
}

package org.kiscsi.transport.iser.soft;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/** A protection domain: the registrations its queue pairs may use, by key. */
final class SoftPd implements ProtectionDomain {
    private final SoftFabric fabric;
    /** The device it was allocated on, and its number there (for counting registrations per domain). */
    final String device;
    final int number;
    private final Map<Integer, SoftMr> regions = new ConcurrentHashMap<>();
    /** Memory windows allocated here, by index (the rkey without its key byte). */
    private final Map<Integer, SoftMw> windows = new ConcurrentHashMap<>();
    private volatile boolean closed;

    SoftPd(SoftFabric fabric, String device) {
        this.fabric = fabric;
        this.device = device;
        this.number = fabric.nextPdNumber();
    }

    @Override
    public MemoryRegion register(ByteBuffer memory, Set<Access> access) throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "register on a closed protection domain");
        }
        if (access.contains(Access.REMOTE_WRITE) && !access.contains(Access.LOCAL_WRITE)) {
            throw new VerbsException(VerbsException.Reason.INVALID, "REMOTE_WRITE without LOCAL_WRITE (ibv_reg_mr refuses it)");
        }
        ByteBuffer bytes = memory.slice();
        SoftMr mr = new SoftMr(this, bytes, fabric.nextAddress(bytes.capacity()), fabric.nextKey(),
                access.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(access)));
        regions.put(mr.lkey(), mr);
        fabric.countRegistration(device);
        fabric.track(mr);
        return mr;
    }

    @Override
    public SoftMw allocateWindow() throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "allocating a memory window on a closed protection domain");
        }
        if (!fabric.hasMemoryWindows(device)) {
            throw new VerbsException(VerbsException.Reason.UNSUPPORTED, "soft device " + device + " has no memory windows"
                    + " (ibv_alloc_mw: Operation not supported)");
        }
        SoftMw w = new SoftMw(this, fabric.nextWindowIndex());
        windows.put(w.index(), w);
        fabric.countWindow(device);
        return w;
    }

    /** The window whose rkey {@code stag} may be (valid or not), or null. */
    SoftMw window(int stag) {
        return windows.get(stag & ~0xFF);
    }

    void forget(SoftMw w) {
        windows.remove(w.index(), w);
    }

    SoftFabric fabric() {
        return fabric;
    }

    /** The valid region with {@code key}, or null. */
    SoftMr region(int key) {
        SoftMr mr = regions.get(key);
        return mr != null && mr.valid() ? mr : null;
    }

    void forget(SoftMr mr) {
        regions.remove(mr.lkey(), mr);
        fabric.untrack(mr);
    }

    int registrations() {
        return regions.size();
    }

    @Override
    public void close() {
        closed = true;
        windows.values().forEach(SoftMw::close);
        regions.values().forEach(SoftMr::invalidate);
    }
}

package org.kiscsi.transport.iser.ibverbs;

import java.util.Map;

import org.kiscsi.transport.iser.verbs.MemoryWindow;

/**
 * An ibv_mw of type 2. Its rkey is the one of the last bind posted: {@link IbQp#postBind} computes it
 * (ibv_inc_rkey of the previous one) and hands it to the bind. Valid from that post until a local
 * invalidation of it is posted, a Send with Invalidate named it, or the window is deallocated.
 */
final class IbMw implements MemoryWindow {
    final long mw;
    final IbPd pd;
    private final Map<Integer, IbMw> bound;
    private int rkey;
    private boolean valid;
    private boolean closed;

    IbMw(long mw, IbPd pd, Map<Integer, IbMw> bound) {
        this.mw = mw;
        this.pd = pd;
        this.bound = bound;
        this.rkey = NativeRdma.mwRkey(mw);
    }

    /** The rkey a bind posted now gives; the caller posts it, then calls {@link #bound}. */
    synchronized int nextRkey() {
        return NativeRdma.incRkey(rkey);
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized void bound(int newRkey) {
        bound.remove(rkey, this);
        rkey = newRkey;
        valid = true;
        bound.put(newRkey, this);
    }

    /** A local invalidation of {@code stag} was posted, or the peer's Send with Invalidate named it. */
    synchronized void invalidated(int stag) {
        if (stag == rkey) {
            valid = false;
            bound.remove(stag, this);
        }
    }

    @Override
    public synchronized int rkey() {
        return rkey;
    }

    @Override
    public synchronized boolean valid() {
        return valid;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        valid = false;
        bound.remove(rkey, this);
        try {
            NativeRdma.deallocMw(mw);
        } catch (NativeError e) {
            // still bound through a queue pair in error: the protection domain's release frees it
        }
    }
}

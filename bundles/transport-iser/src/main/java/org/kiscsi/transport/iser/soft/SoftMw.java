package org.kiscsi.transport.iser.soft;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Consumer;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryWindow;

/**
 * A type 2B memory window of a {@link SoftPd}: bound over part of a region registered with
 * {@link Access#MW_BIND}, for one queue pair, under an rkey whose key byte changes with each bind.
 * Its rkey grants its bind's access within its range, through that queue pair only; an access, a
 * bind and an invalidation hold its lock, so an invalidation waits for an access under way.
 */
final class SoftMw implements MemoryWindow {
    private final SoftPd pd;
    /** The rkey without its key byte: the window's index. */
    private final int index;
    /** The rkey of the last bind posted (a bind's rkey is handed out when it is posted). */
    private int postedRkey;
    private int rkey;
    private boolean valid;
    private boolean closed;
    private SoftMr region;
    private SoftQp qp;
    private long address;
    private int length;
    private Set<Access> access = Set.of();

    SoftMw(SoftPd pd, int index) {
        this.pd = pd;
        this.index = index;
        this.postedRkey = index;
        this.rkey = index;
    }

    int index() {
        return index;
    }

    @Override
    public synchronized int rkey() {
        return rkey;
    }

    @Override
    public synchronized boolean valid() {
        return valid;
    }

    SoftPd pd() {
        return pd;
    }

    /** The rkey a bind posted now will give: the key byte incremented (ibv_inc_rkey). */
    synchronized int nextRkey() {
        postedRkey = postedRkey & ~0xFF | (postedRkey + 1) & 0xFF;
        return postedRkey;
    }

    /** Binds (on the fabric's thread, in send queue order); null, or why the bind fails. */
    String bind(SoftQp through, SoftMr mr, long at, int bytes, Set<Access> rights, int newRkey) {
        String why;
        synchronized (this) {
            why = closed ? "is deallocated" : valid ? "is bound already (a type 2 window is bound only when invalid)"
                    : mr.pd() != pd ? "belongs to another protection domain than the region" : !mr.valid() ? "names a deregistered region"
                    : !mr.access().contains(Access.MW_BIND) ? "names a region registered without MW_BIND"
                    : !mr.covers(at, bytes) ? "asks for 0x" + Long.toHexString(at) + "+" + bytes + " outside " + mr
                    : rights.contains(Access.REMOTE_WRITE) && !mr.access().contains(Access.LOCAL_WRITE)
                    ? "grants REMOTE_WRITE over a region without LOCAL_WRITE" : null;
            if (why == null) {
                region = mr;
                qp = through;
                address = at;
                length = bytes;
                access = Set.copyOf(rights);
                rkey = newRkey;
                valid = true;
            }
        }
        if (why == null) {
            mr.bound(this);
            pd.fabric().trackWindow(this, newRkey);
        }
        return why;
    }

    /** Invalidates {@code stag} if it is this window's valid rkey; false when it is not. */
    boolean invalidate(int stag) {
        synchronized (this) {
            if (!valid || stag != rkey) {
                return false;
            }
            valid = false;
        }
        pd.fabric().untrackWindow(stag);
        return true;
    }

    /** Whether a Send with Invalidate arriving on {@code via} may end this window (type 2B: its own queue pair only). */
    synchronized boolean boundTo(SoftQp via) {
        return valid && qp == via;
    }

    /**
     * Moves bytes through the window: {@code move} gets the region's memory and the offset of
     * {@code at} in it. Null when they moved, else why not (nothing moved then).
     */
    synchronized String access(SoftQp via, int stag, long at, int bytes, Access needed, MoveAt move) {
        if (!valid || stag != rkey) {
            return "is not valid there";
        }
        if (via != qp) {
            return "is bound to another queue pair";
        }
        if (!access.contains(needed)) {
            return "does not allow " + needed;
        }
        if (at < address || bytes < 0 || at + bytes > address + length) {
            return "does not cover 0x" + Long.toHexString(at) + "+" + bytes + " (window 0x" + Long.toHexString(address) + "+" + length + ")";
        }
        int offset = (int) (at - region.address());
        Consumer<ByteBuffer> m = memory -> move.move(memory, offset);
        return region.access(m) ? null : "is not valid there (its region is deregistered)";
    }

    /** A move of bytes at an offset of a region's memory. */
    interface MoveAt {
        void move(ByteBuffer memory, int offset);
    }

    @Override
    public void close() {
        int was;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            was = valid ? rkey : 0;
            valid = false;
        }
        if (was != 0) {
            pd.fabric().untrackWindow(was);
        }
        pd.forget(this);
    }

    @Override
    public synchronized String toString() {
        return String.format("MW rkey 0x%08x %s", rkey, valid ? "at 0x" + Long.toHexString(address) + "+" + length + " " + access
                : "not bound");
    }
}

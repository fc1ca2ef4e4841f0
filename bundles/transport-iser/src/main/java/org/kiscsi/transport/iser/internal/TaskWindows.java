package org.kiscsi.transport.iser.internal;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.function.Supplier;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.MemoryWindow;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * A connection's type 2 memory windows, through which alone the target reaches a task's pool block:
 * each use binds one over exactly the block's bytes, with a fresh rkey, and ends it before the task
 * completes to its caller. Windows ended cleanly (by the target's Send with Invalidate or a local
 * invalidation that completed) are kept and bound again, so a task costs no system call; one still
 * bound when its task ends otherwise (abort, reset, lost connection) is deallocated there and then,
 * which invalidates it at once.
 *
 * <p>Whether windows are there at all is asked once, when the connection is set up, by allocating
 * the first: a device or binding without them ({@code UNSUPPORTED}) leaves the connection to
 * register each task's block for that task alone ({@link #available()} false), as before windows.
 */
final class TaskWindows {
    /** Set in the work request id of binds and local invalidations (Sends carry {@link SendQueue#TX}). */
    static final long WINDOW = 1L << 61;

    private final ProtectionDomain pd;
    private final Supplier<QueuePair> qp;
    private final ArrayDeque<MemoryWindow> free = new ArrayDeque<>();
    private boolean closed;
    /** Why there are no windows (the provider's word), or null when there are. */
    private final String unavailable;

    /**
     * Allocates the first window, kept for the first bind.
     *
     * @throws VerbsException other than {@code UNSUPPORTED}: the device cannot give one now
     */
    TaskWindows(ProtectionDomain pd, Supplier<QueuePair> qp) throws VerbsException {
        this.pd = pd;
        this.qp = qp;
        String why = null;
        try {
            free.add(pd.allocateWindow());
        } catch (VerbsException e) {
            if (e.reason() != VerbsException.Reason.UNSUPPORTED) {
                throw e;
            }
            why = e.getMessage();
        }
        this.unavailable = why;
    }

    /** Whether the connection's tasks are reached through memory windows (else through registrations of their own). */
    boolean available() {
        return unavailable == null;
    }

    /** How the target reaches a task's pool block on this connection, for its description and log. */
    String describe() {
        return unavailable == null ? "memory windows (type 2), one bound per task"
                : "a registration per task (no memory windows: " + unavailable + ")";
    }

    static boolean isWindowOp(long wrId) {
        return (wrId & WINDOW) != 0;
    }

    /** The work request id of the local invalidation of task {@code itt}'s read (or write) window. */
    static long invalidationId(int itt, boolean read) {
        return WINDOW | (read ? 1L << 32 : 0) | (itt & 0xFFFF_FFFFL);
    }

    static int itt(long wrId) {
        return (int) wrId;
    }

    static boolean read(long wrId) {
        return (wrId & 1L << 32) != 0;
    }

    /** A window bound (posted ahead of the command's Send) over {@code [address, +length)} of {@code mr}; its rkey in {@code into}. */
    MemoryWindow bind(MemoryRegion mr, long address, int length, boolean peerWrites, int[] rkeyInto) throws VerbsException {
        MemoryWindow w;
        synchronized (this) {
            if (closed) {
                throw new VerbsException(VerbsException.Reason.INVALID, "the connection's memory windows are released");
            }
            w = free.poll();
        }
        if (w == null) {
            w = pd.allocateWindow();
        }
        try {
            rkeyInto[0] = qp.get().postBind(WINDOW, w, mr, address, length,
                    EnumSet.of(peerWrites ? Access.REMOTE_WRITE : Access.REMOTE_READ), false);
            return w;
        } catch (VerbsException e) {
            w.close();
            throw e;
        }
    }

    /** Posts the local invalidation of {@code rkey}; its completion comes with {@link #invalidationId}. */
    void invalidate(int itt, boolean read, int rkey) throws VerbsException {
        qp.get().postLocalInvalidate(invalidationId(itt, read), rkey);
    }

    /** A window its task is done with: kept for another bind when it was invalidated, else deallocated (invalid at once). */
    void give(MemoryWindow w, boolean invalidated) {
        synchronized (this) {
            if (invalidated && !closed) {
                free.add(w);
                return;
            }
        }
        w.close();
    }

    /** The connection ended: every kept window is deallocated, and so is each one given back from now on. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        MemoryWindow w;
        while ((w = poll()) != null) {
            w.close();
        }
    }

    private synchronized MemoryWindow poll() {
        return free.poll();
    }
}

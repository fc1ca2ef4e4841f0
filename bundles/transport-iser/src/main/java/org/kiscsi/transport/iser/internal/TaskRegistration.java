package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.EnumSet;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.MemoryWindow;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * One task's tagged buffers: the read buffer the target RDMA-writes (Read STag) and the write buffer
 * it RDMA-reads (Write STag). One up to the pool's largest block is a bounce block of the
 * connection's {@link RegisteredPool} (data copied in before, out after), reachable by the target
 * only through a memory window bound over it for this task ({@link TaskWindows}): the window's rkey
 * is the STag, and it is invalidated before the task completes to its caller. On a connection
 * without memory windows the block itself is registered for this task alone instead, with remote
 * access, its rkey the STag, and deregistered at the task's end. A larger one is
 * registered for this task alone (a direct caller buffer in place) and deregistered at its end.
 *
 * <p>The write window holds what the target fetches: with TaggedBufferForSolicitedDataOnly=Yes only
 * the solicited bytes, {@code [unsolicitedLength, outLength)}, its Base Offset at the first of them;
 * with No the whole buffer, its Base Offset at byte 0, the target adding each Buffer Offset.
 */
final class TaskRegistration {
    final TaskBuffers task;
    private final RegisteredPool pool;
    private final TaskWindows windows;
    private final Window read;
    private final Window write;
    /** Set from the SCSI Response: bytes the target says it moved. */
    int bytesIn;
    int bytesOut;
    boolean responded;

    /** Tagged memory of one direction: a pool block behind a memory window, or a registration of its own. */
    private static final class Window {
        RegisteredPool.Block block;
        MemoryWindow mw;
        /** The window's rkey of this task's bind. */
        int stag;
        /** Whether the window's rkey is known invalid (the target's Send with Invalidate, a completed local invalidation). */
        boolean invalidated;
        /** Whether a local invalidation of it is posted and not completed. */
        boolean invalidating;
        MemoryRegion own;
        /** Direct memory registered alone for a heap caller buffer (read data is copied out of it). */
        ByteBuffer ownBounce;

        long address() {
            return own != null ? own.address() : block.address();
        }

        int rkey() {
            return own != null ? own.rkey() : stag;
        }

        ByteBuffer bytes() {
            return block != null ? block.buffer() : ownBounce;
        }
    }

    /** Thrown inside {@link #open} when the pool has no room. */
    private static final class PoolFull extends Exception {
        private static final long serialVersionUID = 1L;
        final int size;

        PoolFull(int size) {
            super(null, null, false, false);
            this.size = size;
        }
    }

    private TaskRegistration(TaskBuffers task, RegisteredPool pool, TaskWindows windows) {
        this.task = task;
        this.pool = pool;
        this.windows = windows;
        this.read = task.inLength() > 0 ? new Window() : null;
        this.write = task.outLength() > task.unsolicitedLength() ? new Window() : null;
    }

    /** A task registered nothing for: its connection is closed, so its command will not go. */
    static TaskRegistration none(TaskBuffers task, RegisteredPool pool, TaskWindows windows) {
        return new TaskRegistration(new TaskBuffers(task.itt(), task.direction(), null, 0, null, 0), pool, windows);
    }

    /**
     * Takes and fills the task's windows.
     *
     * @throws IscsiException (TRANS) when the pool has no room for them now, or registering fails
     */
    static TaskRegistration open(TaskBuffers task, RegisteredPool pool, TaskWindows windows, ProtectionDomain pd,
            boolean solicitedOnly, String where) {
        TaskRegistration t = new TaskRegistration(task, pool, windows);
        try {
            if (t.read != null) {
                t.take(t.read, pd, task.dataIn(), 0, task.inLength(), true);
            }
            if (t.write != null) {
                int from = solicitedOnly ? task.unsolicitedLength() : 0;
                t.take(t.write, pd, task.dataOut(), from, task.outLength() - from, false);
            }
            return t;
        } catch (VerbsException e) {
            t.end(false);
            throw new IscsiException(IscsiError.TRANS, where + ": registering the buffers of task 0x"
                    + Integer.toHexString(task.itt()) + ": " + e.getMessage(), e);
        } catch (PoolFull e) {
            t.end(false);
            throw new IscsiException(IscsiError.TRANS, where + ": task 0x" + Integer.toHexString(task.itt()) + " needs "
                    + e.size + " bytes of registered memory and the pool has no room now (" + pool.bytesInUse() + " of "
                    + pool.capacity() + " bytes in use; raise poolChunks of configuration org.kiscsi.transport.iser)");
        }
    }

    /** {@code length} bytes of {@code caller} from {@code from} (relative to its position) into a window. */
    private void take(Window w, ProtectionDomain pd, ByteBuffer caller, int from, int length, boolean peerWrites)
            throws VerbsException, PoolFull {
        ByteBuffer window = caller.slice(caller.position() + from, length);
        if (length <= pool.largest()) {
            w.block = pool.take(length);
            if (w.block == null) {
                throw new PoolFull(length);
            }
            if (!peerWrites) {
                w.block.buffer().put(0, window, 0, length);
            }
            if (!windows.available()) { // the block registered for this task alone, deregistered at its end
                w.own = pd.register(w.block.buffer().slice(0, length), remoteAccess(peerWrites));
                return;
            }
            int[] stag = new int[1];
            w.mw = windows.bind(w.block.mr(), w.block.address(), length, peerWrites, stag);
            w.stag = stag[0];
            return;
        }
        if (!window.isDirect()) {
            w.ownBounce = ByteBuffer.allocateDirect(length);
            if (!peerWrites) {
                w.ownBounce.put(0, window, 0, length);
            }
            window = w.ownBounce;
        }
        w.own = pd.register(window, remoteAccess(peerWrites));
    }

    private static EnumSet<Access> remoteAccess(boolean peerWrites) {
        return peerWrites ? EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE) : EnumSet.of(Access.REMOTE_READ);
    }

    /** The task's iSER header: WSV and RSV with the STags and Base Offsets of its windows. */
    IserHeader header() {
        return new IserHeader(write != null, read != null, write == null ? 0 : write.rkey(), write == null ? 0 : write.address(),
                read == null ? 0 : read.rkey(), read == null ? 0 : read.address());
    }

    /** Reads the counts of moved bytes from the task's SCSI Response (its residuals). */
    void responded(ByteBuffer bhs) {
        responded = true;
        int flags = bhs.get(1) & 0xFF;
        int residual = bhs.getInt(44);
        int bidiResidual = bhs.getInt(40);
        boolean bidi = task.inLength() > 0 && task.outLength() > 0;
        bytesOut = moved(task.outLength(), flags & 0x06, residual);
        bytesIn = bidi ? moved(task.inLength(), (flags & 0x18) >> 2, bidiResidual) : moved(task.inLength(), flags & 0x06, residual);
    }

    private static int moved(int length, int overUnder, int residual) {
        if ((overUnder & 0x02) != 0) { // underflow: residual bytes were not moved
            return Math.max(0, length - Math.max(0, residual));
        }
        return length;
    }

    /** Whether {@code rkey} is one of the STags this task advertised. */
    boolean advertised(int rkey) {
        return read != null && read.rkey() == rkey || write != null && write.rkey() == rkey;
    }

    /** The Send with Invalidate of this response ended {@code rkey}: no local invalidation is due for it. */
    synchronized void invalidatedRemotely(int rkey) {
        for (Window w : new Window[] {read, write}) {
            if (w != null && w.mw != null && w.stag == rkey) {
                w.invalidated = true;
            }
        }
    }

    /**
     * The response arrived: posts the local invalidation of each window the target did not
     * invalidate. Returns how many were posted; the response waits for their completions.
     */
    synchronized int invalidateWindows() throws VerbsException {
        int posted = 0;
        for (Window w : new Window[] {read, write}) {
            if (w != null && w.mw != null && !w.invalidated && !w.invalidating) {
                windows.invalidate(task.itt(), w == read, w.stag);
                w.invalidating = true;
                posted++;
            }
        }
        return posted;
    }

    /** The local invalidation of the read (or write) window completed. */
    synchronized void invalidatedLocally(boolean ofRead) {
        Window w = ofRead ? read : write;
        if (w != null && w.mw != null) {
            w.invalidating = false;
            w.invalidated = true;
        }
    }

    /** The connection ended: its windows are deallocated now (invalid at once); the blocks wait for the task's end. */
    synchronized void dropWindows() {
        for (Window w : new Window[] {read, write}) {
            if (w != null && w.mw != null) {
                w.mw.close();
                w.mw = null;
            }
        }
    }

    /** Copies read data out when the task completed, invalidates its own registrations, gives blocks back. */
    synchronized void end(boolean completed) {
        if (read != null) {
            ByteBuffer bounced = read.bytes();
            if (completed && bytesIn > 0 && bounced != null) {
                task.dataIn().put(task.dataIn().position(), bounced, 0, bytesIn);
            }
            give(read);
        }
        if (write != null) {
            give(write);
        }
    }

    private void give(Window w) {
        if (w.mw != null) {
            if (!w.invalidating) { // a local invalidation under way ends the window itself
                windows.give(w.mw, w.invalidated);
            }
            w.mw = null;
        }
        if (w.own != null) { // before its block goes back, so the STag reaches nothing reused
            w.own.deregister();
            w.own = null;
        }
        if (w.block != null) {
            pool.release(w.block);
            w.block = null;
        }
        w.ownBounce = null;
    }
}

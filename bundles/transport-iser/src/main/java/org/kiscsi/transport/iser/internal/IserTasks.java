package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TaskTransfer;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * A connection's SCSI tasks and their tagged buffers, by ITT: taken when the engine announces a
 * task, advertised in its command's iSER header, updated from its SCSI Response, given back when the
 * engine ends it (also after the connection was lost).
 */
final class IserTasks {
    private final Map<Integer, TaskRegistration> tasks = new ConcurrentHashMap<>();
    private final RegisteredPool pool;
    private final TaskWindows windows;
    private final ProtectionDomain pd;
    private final boolean solicitedOnly;
    private final BooleanSupplier closed;
    private final String where;

    IserTasks(RegisteredPool pool, TaskWindows windows, ProtectionDomain pd, boolean solicitedOnly, BooleanSupplier closed,
            String where) {
        this.pool = pool;
        this.windows = windows;
        this.pd = pd;
        this.solicitedOnly = solicitedOnly;
        this.closed = closed;
        this.where = where;
    }

    /**
     * Takes the task's windows.
     *
     * @throws IscsiException when the pool has no room for them (the engine fails that command alone)
     */
    void started(TaskBuffers task) {
        if (closed.getAsBoolean()) {
            tasks.put(task.itt(), TaskRegistration.none(task, pool, windows)); // its command will not go
            return;
        }
        try {
            tasks.put(task.itt(), TaskRegistration.open(task, pool, windows, pd, solicitedOnly, where));
        } catch (IscsiException e) {
            if (!closed.getAsBoolean()) {
                throw e;
            }
            tasks.put(task.itt(), TaskRegistration.none(task, pool, windows)); // closed meanwhile: the pool went with it
        }
    }

    /** The iSER header of a SCSI Command PDU: its task's STags, or none for a task not announced. */
    IserHeader header(ByteBuffer bhs) {
        TaskRegistration t = tasks.get(bhs.getInt(16));
        return t == null ? IserHeader.PLAIN : t.header();
    }

    /**
     * A SCSI Response arrived: what the target moved, and the STag its Send with Invalidate ended (0:
     * none). Posts the local invalidation of the task's windows the target left bound.
     *
     * @return how many local invalidations were posted: the response reaches the engine only after
     *         they completed
     * @throws IllegalArgumentException when the target invalidated an STag the task did not advertise
     */
    int responded(ByteBuffer bhs, int invalidatedRkey) throws VerbsException {
        TaskRegistration t = tasks.get(bhs.getInt(16));
        if (invalidatedRkey != 0 && (t == null || !t.advertised(invalidatedRkey))) {
            throw new IllegalArgumentException(where + ": the target's Send with Invalidate ended STag 0x"
                    + Integer.toHexString(invalidatedRkey) + ", which task 0x" + Integer.toHexString(bhs.getInt(16))
                    + " did not advertise");
        }
        if (t == null) {
            return 0;
        }
        t.responded(bhs);
        if (invalidatedRkey != 0) {
            t.invalidatedRemotely(invalidatedRkey);
        }
        return t.invalidateWindows();
    }

    /** The local invalidation with work request id {@code wrId} completed. */
    void invalidated(long wrId) {
        TaskRegistration t = tasks.get(TaskWindows.itt(wrId));
        if (t != null) {
            t.invalidatedLocally(TaskWindows.read(wrId));
        }
    }

    /** The connection ended: every task's windows are deallocated now, before any task ends to its caller. */
    void dropWindows() {
        tasks.values().forEach(TaskRegistration::dropWindows);
    }

    TaskTransfer ended(int itt, TaskEnd end) {
        TaskRegistration t = tasks.remove(itt);
        if (t == null) {
            return TaskTransfer.NONE;
        }
        boolean completed = end == TaskEnd.COMPLETED && t.responded;
        t.end(completed);
        return completed ? new TaskTransfer(t.bytesIn, t.bytesOut) : TaskTransfer.NONE;
    }

    int size() {
        return tasks.size();
    }
}

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

/**
 * A connection's SCSI tasks and their tagged buffers, by ITT: taken when the engine announces a
 * task, advertised in its command's iSER header, updated from its SCSI Response, given back when the
 * engine ends it (also after the connection was lost).
 */
final class IserTasks {
    private final Map<Integer, TaskRegistration> tasks = new ConcurrentHashMap<>();
    private final RegisteredPool pool;
    private final ProtectionDomain pd;
    private final boolean solicitedOnly;
    private final BooleanSupplier closed;
    private final String where;

    IserTasks(RegisteredPool pool, ProtectionDomain pd, boolean solicitedOnly, BooleanSupplier closed, String where) {
        this.pool = pool;
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
            tasks.put(task.itt(), TaskRegistration.none(task, pool)); // its command will not go
            return;
        }
        try {
            tasks.put(task.itt(), TaskRegistration.open(task, pool, pd, solicitedOnly, where));
        } catch (IscsiException e) {
            if (!closed.getAsBoolean()) {
                throw e;
            }
            tasks.put(task.itt(), TaskRegistration.none(task, pool)); // closed meanwhile: the pool went with it
        }
    }

    /** The iSER header of a SCSI Command PDU: its task's STags, or none for a task not announced. */
    IserHeader header(ByteBuffer bhs) {
        TaskRegistration t = tasks.get(bhs.getInt(16));
        return t == null ? IserHeader.PLAIN : t.header();
    }

    /**
     * A SCSI Response arrived: what the target moved, and the STag its Send with Invalidate ended (0:
     * none).
     *
     * @throws IllegalArgumentException when the target invalidated a pool chunk's STag, which the CM
     *         private data said it must not
     */
    void responded(ByteBuffer bhs, int invalidatedRkey) {
        if (invalidatedRkey != 0 && pool.isPooled(invalidatedRkey)) {
            throw new IllegalArgumentException(where + ": the target invalidated STag 0x" + Integer.toHexString(invalidatedRkey)
                    + " of the registered pool by Send with Invalidate, which the connection declared unsupported");
        }
        TaskRegistration t = tasks.get(bhs.getInt(16));
        if (t != null) {
            t.responded(bhs);
            if (invalidatedRkey != 0) {
                t.invalidatedRemotely(invalidatedRkey);
            }
        }
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

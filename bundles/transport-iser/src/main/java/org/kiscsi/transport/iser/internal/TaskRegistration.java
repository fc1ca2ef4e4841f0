package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;

import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * One task's registered buffers: the read window the target RDMA-writes (Read STag) and the write
 * window it RDMA-reads (Write STag), each registered for this task only and invalidated at its end.
 * A direct caller buffer is registered in place; a heap one goes through a bounce buffer.
 */
final class TaskRegistration {
    final TaskBuffers task;
    private final RegisteredPool pool;
    MemoryRegion readMr;
    MemoryRegion writeMr;
    private ByteBuffer readBounce;
    private ByteBuffer writeBounce;
    /** Set from the SCSI Response: bytes the target says it moved. */
    int bytesIn;
    int bytesOut;
    boolean responded;
    VerbsException failure;

    TaskRegistration(TaskBuffers task, RegisteredPool pool, ProtectionDomain pd) {
        this.task = task;
        this.pool = pool;
        try {
            if (task.inLength() > 0) {
                ByteBuffer in = task.dataIn();
                if (in.isDirect()) {
                    readMr = pd.register(in.slice(in.position(), task.inLength()), RegisteredPool.remote(true));
                } else {
                    readBounce = pool.bounce(task.inLength());
                    readMr = pd.register(readBounce, RegisteredPool.remote(true));
                }
            }
            if (task.outLength() > 0) {
                ByteBuffer out = task.dataOut();
                ByteBuffer window = out.slice(out.position(), task.outLength());
                if (!out.isDirect()) {
                    writeBounce = pool.bounce(task.outLength());
                    writeBounce.put(0, window, 0, task.outLength());
                    window = writeBounce;
                }
                writeMr = pd.register(window, RegisteredPool.remote(false));
            }
        } catch (VerbsException e) {
            failure = e;
            end(false);
        }
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

    /** The Send with Invalidate of this response ended {@code rkey}: no local invalidation is due for it. */
    void invalidatedRemotely(int rkey) {
        if (readMr != null && readMr.rkey() == rkey) {
            readMr = null;
        } else if (writeMr != null && writeMr.rkey() == rkey) {
            writeMr = null;
        }
    }

    /** Invalidates what is left, copies bounced read data out when the task completed, gives memory back. */
    void end(boolean completed) {
        if (readMr != null) {
            readMr.deregister();
        }
        if (writeMr != null) {
            writeMr.deregister();
        }
        if (readBounce != null) {
            if (completed && bytesIn > 0) {
                task.dataIn().put(task.dataIn().position(), readBounce, 0, bytesIn);
            }
            pool.giveBack(readBounce);
            readBounce = null;
        }
        if (writeBounce != null) {
            pool.giveBack(writeBounce);
            writeBounce = null;
        }
    }
}

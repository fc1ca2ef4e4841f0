package org.kiscsi.transport.iser.internal;

import java.nio.ByteBuffer;
import java.util.EnumSet;

import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * The receive buffers: one registered slab cut into slots, each big enough for the largest PDU the
 * target may send (iSER header, BHS, AHS, InitiatorRecvDataSegmentLength). A slot is posted again as
 * soon as its PDU was copied out, so the posted count only drops while a PDU is being read.
 */
final class RxRing {
    /** Room for AHS in a received PDU (targets send none in responses; some slack all the same). */
    static final int AHS_ROOM = 256;
    private final MemoryRegion slab;
    private final int slotSize;
    private final int slots;
    private int posted;

    RxRing(ProtectionDomain pd, int slots, int maxDataSegment) throws VerbsException {
        this.slots = slots;
        this.slotSize = IserHeader.LENGTH + 48 + AHS_ROOM + maxDataSegment;
        slab = pd.register(ByteBuffer.allocateDirect(slots * slotSize), EnumSet.of(Access.LOCAL_WRITE));
    }

    int slots() {
        return slots;
    }

    synchronized int posted() {
        return posted;
    }

    /** Posts slots {@code from..to-1} for the first time. */
    void postRange(QueuePair qp, int from, int to) throws VerbsException {
        for (int i = from; i < to; i++) {
            repost(qp, i);
        }
    }

    void repost(QueuePair qp, int slot) throws VerbsException {
        qp.postRecv(slot, slab.sge(slot * slotSize, slotSize));
        synchronized (this) {
            posted++;
        }
    }

    /** A slot's received bytes; the slot counts as taken until reposted. */
    ByteBuffer take(int slot, int length) {
        synchronized (this) {
            posted--;
        }
        return slab.buffer().slice(slot * slotSize, length);
    }

    void close() {
        slab.deregister();
    }
}

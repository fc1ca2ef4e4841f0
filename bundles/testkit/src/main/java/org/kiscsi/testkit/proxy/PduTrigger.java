package org.kiscsi.testkit.proxy;

import org.kiscsi.protocol.Opcode;

/**
 * Fires once: at the {@code nth} PDU with the opcode going in the direction (counted from when the
 * trigger was armed), optionally only among PDUs with a non-empty data segment.
 */
final class PduTrigger {
    private final FaultProxy.Direction direction;
    private final Opcode opcode;
    private final boolean needsData;
    private int remaining;
    private volatile boolean fired;

    PduTrigger(FaultProxy.Direction direction, Opcode opcode, int nth, boolean needsData) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth counts from 1, got " + nth);
        }
        if (opcode.isInitiatorOpcode() != (direction == FaultProxy.Direction.TO_TARGET)) {
            throw new IllegalArgumentException(opcode + " never goes " + direction);
        }
        this.direction = direction;
        this.opcode = opcode;
        this.needsData = needsData;
        this.remaining = nth;
    }

    /** Counts the PDU if it matches; true exactly once, for the PDU the trigger is for. */
    synchronized boolean fires(FaultProxy.Direction d, WireFrame f) {
        if (fired || d != direction || f.opcode() != opcode || needsData && f.dataLength() == 0) {
            return false;
        }
        if (--remaining > 0) {
            return false;
        }
        fired = true;
        return true;
    }

    boolean fired() {
        return fired;
    }
}

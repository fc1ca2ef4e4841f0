package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

/**
 * StatSN (24), ExpCmdSN (28) and MaxCmdSN (32): where every target PDU that has them keeps them.
 * Read straight from a header so the engine can update its windows before decoding the rest.
 */
public final class SequenceNumbers {
    private SequenceNumbers() {
    }

    public static int statSn(ByteBuffer h) {
        return h.getInt(24);
    }

    public static int expCmdSn(ByteBuffer h) {
        return h.getInt(28);
    }

    public static int maxCmdSn(ByteBuffer h) {
        return h.getInt(32);
    }
}

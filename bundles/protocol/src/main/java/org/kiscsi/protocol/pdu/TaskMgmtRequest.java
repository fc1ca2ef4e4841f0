package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** Task Management Function Request (RFC 7143 section 11.5). */
public record TaskMgmtRequest(boolean immediate, int function, long lun, int itt, int referencedTaskTag, int cmdSn,
        int expStatSn, int refCmdSn, int expDataSn) implements InitiatorPdu {
    public static final int ABORT_TASK = 1;
    public static final int ABORT_TASK_SET = 2;
    public static final int CLEAR_ACA = 3;
    public static final int CLEAR_TASK_SET = 4;
    public static final int LOGICAL_UNIT_RESET = 5;
    public static final int TARGET_WARM_RESET = 6;
    public static final int TARGET_COLD_RESET = 7;
    public static final int TASK_REASSIGN = 8;

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MGMT_REQUEST;
    }

    @Override
    public ByteBuffer data() {
        return Pdu.EMPTY;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), immediate, 0, 0);
        h.put(1, (byte) (0x80 | (function & 0x7F)));
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, referencedTaskTag);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        h.putInt(32, refCmdSn);
        h.putInt(36, expDataSn);
    }

    static TaskMgmtRequest decode(ByteBuffer h) {
        return new TaskMgmtRequest(Bhs.immediate(h), Bhs.u8(h, 1) & 0x7F, h.getLong(8), h.getInt(16), h.getInt(20),
                h.getInt(24), h.getInt(28), h.getInt(32), h.getInt(36));
    }
}

package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/**
 * Asynchronous Message (RFC 7143 section 11.9). Events: 0 SCSI async event (sense data in the data
 * segment), 1 target requests logout, 2 target will drop the connection, 3 target will drop all
 * connections, 4 target requests renegotiation, 5 task termination (RFC 7143), 255 vendor specific.
 */
public record AsyncMessage(long lun, int statSn, int expCmdSn, int maxCmdSn, int asyncEvent, int asyncVCode,
        int parameter1, int parameter2, int parameter3, ByteBuffer data) implements TargetPdu {
    public static final int SCSI_EVENT = 0;
    public static final int LOGOUT_REQUESTED = 1;
    public static final int CONNECTION_DROP = 2;
    public static final int SESSION_DROP = 3;
    public static final int RENEGOTIATE = 4;
    /** RFC 7143: all active tasks of the LU in the LUN field are being terminated. */
    public static final int TASK_TERMINATION = 5;
    public static final int VENDOR_SPECIFIC = 255;

    public AsyncMessage {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public int itt() {
        return Bhs.RESERVED_TAG;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) 0x80);
        h.putLong(8, lun);
        h.putInt(16, Bhs.RESERVED_TAG);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        h.put(36, (byte) asyncEvent);
        h.put(37, (byte) asyncVCode);
        Bhs.putU16(h, 38, parameter1);
        Bhs.putU16(h, 40, parameter2);
        Bhs.putU16(h, 42, parameter3);
    }

    static AsyncMessage decode(ByteBuffer h, ByteBuffer data) {
        return new AsyncMessage(h.getLong(8), h.getInt(24), h.getInt(28), h.getInt(32), Bhs.u8(h, 36), Bhs.u8(h, 37),
                Bhs.u16(h, 38), Bhs.u16(h, 40), Bhs.u16(h, 42), data);
    }
}

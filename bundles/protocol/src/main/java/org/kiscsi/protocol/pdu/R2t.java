package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** Ready To Transfer (RFC 7143 section 11.8). */
public record R2t(long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, int r2tSn, int bufferOffset,
        int desiredDataTransferLength) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.R2T;
    }

    @Override
    public ByteBuffer data() {
        return Pdu.EMPTY;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, 0);
        h.put(1, (byte) 0x80);
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        h.putInt(36, r2tSn);
        h.putInt(40, bufferOffset);
        h.putInt(44, desiredDataTransferLength);
    }

    static R2t decode(ByteBuffer h) {
        return new R2t(h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28), h.getInt(32),
                h.getInt(36), h.getInt(40), h.getInt(44));
    }
}

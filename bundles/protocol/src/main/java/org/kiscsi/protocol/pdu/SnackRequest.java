package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** SNACK Request (RFC 7143 section 11.16), for error recovery levels above 0. */
public record SnackRequest(int type, long lun, int itt, int ttt, int expStatSn, int begRun, int runLength)
        implements InitiatorPdu {
    public static final int DATA_R2T = 0;
    public static final int STATUS = 1;
    public static final int DATA_ACK = 2;
    public static final int RDATA = 3;

    @Override
    public Opcode opcode() {
        return Opcode.SNACK_REQUEST;
    }

    @Override
    public ByteBuffer data() {
        return Pdu.EMPTY;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, 0);
        h.put(1, (byte) (0x80 | (type & 0x0F)));
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(28, expStatSn);
        h.putInt(40, begRun);
        h.putInt(44, runLength);
    }

    static SnackRequest decode(ByteBuffer h) {
        return new SnackRequest(Bhs.u8(h, 1) & 0x0F, h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(28), h.getInt(40),
                h.getInt(44));
    }
}

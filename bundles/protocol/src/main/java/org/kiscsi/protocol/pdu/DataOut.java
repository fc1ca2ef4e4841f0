package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** SCSI Data-Out (RFC 7143 section 11.7). TTT is 0xffffffff for unsolicited data. */
public record DataOut(boolean finalBit, long lun, int itt, int ttt, int expStatSn, int dataSn, int bufferOffset,
        ByteBuffer data) implements InitiatorPdu {
    public DataOut {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA_OUT;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) (finalBit ? 0x80 : 0));
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(28, expStatSn);
        h.putInt(36, dataSn);
        h.putInt(40, bufferOffset);
    }

    static DataOut decode(ByteBuffer h, ByteBuffer data) {
        return new DataOut(Bhs.finalBit(h), h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(28), h.getInt(36),
                h.getInt(40), data);
    }
}

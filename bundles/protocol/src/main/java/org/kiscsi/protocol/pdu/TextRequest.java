package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** Text Request (RFC 7143 section 11.10). TTT is 0xffffffff for a new request, else the target's to continue. */
public record TextRequest(boolean immediate, boolean finalBit, boolean cont, long lun, int itt, int ttt, int cmdSn,
        int expStatSn, ByteBuffer data) implements InitiatorPdu {
    public TextRequest {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_REQUEST;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), immediate, 0, data.remaining());
        h.put(1, (byte) ((finalBit ? 0x80 : 0) | (cont ? 0x40 : 0)));
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
    }

    static TextRequest decode(ByteBuffer h, ByteBuffer data) {
        int b1 = Bhs.u8(h, 1);
        return new TextRequest(Bhs.immediate(h), (b1 & 0x80) != 0, (b1 & 0x40) != 0, h.getLong(8), h.getInt(16),
                h.getInt(20), h.getInt(24), h.getInt(28), data);
    }
}

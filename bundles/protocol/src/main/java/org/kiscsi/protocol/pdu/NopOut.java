package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/**
 * NOP-Out (RFC 7143 section 11.18): a ping (ITT set, TTT 0xffffffff) or the answer to a target's
 * NOP-In (ITT 0xffffffff, TTT echoed).
 */
public record NopOut(boolean immediate, long lun, int itt, int ttt, int cmdSn, int expStatSn, ByteBuffer data)
        implements InitiatorPdu {
    public NopOut {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_OUT;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), immediate, 0, data.remaining());
        h.put(1, (byte) 0x80);
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
    }

    static NopOut decode(ByteBuffer h, ByteBuffer data) {
        return new NopOut(Bhs.immediate(h), h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28), data);
    }
}

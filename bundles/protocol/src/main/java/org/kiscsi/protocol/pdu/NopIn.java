package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/**
 * NOP-In (RFC 7143 section 11.19): the answer to a ping (ITT set) or the target's own ping
 * (ITT 0xffffffff, TTT set: the initiator must answer with a NOP-Out echoing TTT).
 */
public record NopIn(long lun, int itt, int ttt, int statSn, int expCmdSn, int maxCmdSn, ByteBuffer data)
        implements TargetPdu {
    public NopIn {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_IN;
    }

    /** Whether the target wants an answer (a target-initiated ping). */
    public boolean wantsReply() {
        return ttt != Bhs.RESERVED_TAG;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) 0x80);
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
    }

    static NopIn decode(ByteBuffer h, ByteBuffer data) {
        return new NopIn(h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28), h.getInt(32), data);
    }
}

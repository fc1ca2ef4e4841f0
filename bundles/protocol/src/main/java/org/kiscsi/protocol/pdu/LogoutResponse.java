package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** Logout Response (RFC 7143 section 11.15). Response 0: closed successfully. */
public record LogoutResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn, int time2Wait,
        int time2Retain) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    @Override
    public ByteBuffer data() {
        return Pdu.EMPTY;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, 0);
        h.put(1, (byte) 0x80);
        h.put(2, (byte) response);
        h.putInt(16, itt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        Bhs.putU16(h, 40, time2Wait);
        Bhs.putU16(h, 42, time2Retain);
    }

    static LogoutResponse decode(ByteBuffer h) {
        return new LogoutResponse(Bhs.u8(h, 2), h.getInt(16), h.getInt(24), h.getInt(28), h.getInt(32), Bhs.u16(h, 40),
                Bhs.u16(h, 42));
    }
}

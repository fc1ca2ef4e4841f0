package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/** Logout Request (RFC 7143 section 11.14). Reason 0 closes the session, 1 the connection, 2 removes it for recovery. */
public record LogoutRequest(boolean immediate, int reason, int itt, int cid, int cmdSn, int expStatSn)
        implements InitiatorPdu {
    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_FOR_RECOVERY = 2;

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    @Override
    public ByteBuffer data() {
        return Pdu.EMPTY;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), immediate, 0, 0);
        h.put(1, (byte) (0x80 | (reason & 0x7F)));
        h.putInt(16, itt);
        Bhs.putU16(h, 20, cid);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
    }

    static LogoutRequest decode(ByteBuffer h) {
        return new LogoutRequest(Bhs.immediate(h), Bhs.u8(h, 1) & 0x7F, h.getInt(16), Bhs.u16(h, 20), h.getInt(24), h.getInt(28));
    }
}

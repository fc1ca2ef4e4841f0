package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/** Text Response (RFC 7143 section 11.11). */
public record TextResponse(boolean finalBit, boolean cont, long lun, int itt, int ttt, int statSn, int expCmdSn,
        int maxCmdSn, ByteBuffer data) implements TargetPdu {
    public TextResponse {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_RESPONSE;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) ((finalBit ? 0x80 : 0) | (cont ? 0x40 : 0)));
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
    }

    static TextResponse decode(ByteBuffer h, ByteBuffer data) {
        int b1 = Bhs.u8(h, 1);
        boolean f = (b1 & 0x80) != 0;
        boolean c = (b1 & 0x40) != 0;
        if (f && c) {
            throw new ProtocolException(Kind.BAD_FIELD, "Text Response for ITT 0x" + Integer.toHexString(h.getInt(16))
                    + " sets both F and C bits");
        }
        return new TextResponse(f, c, h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28), h.getInt(32), data);
    }
}

package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/** Login Response (RFC 7143 section 11.13). */
public record LoginResponse(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionActive,
        long isid, int tsih, int itt, int statSn, int expCmdSn, int maxCmdSn, int statusClass, int statusDetail,
        ByteBuffer data) implements TargetPdu {
    public LoginResponse {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    /** Status-Class and Status-Detail as one number (0x0201 = authentication failure). */
    public int status() {
        return statusClass << 8 | statusDetail;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) ((transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg & 3) << 2 | (nsg & 3)));
        h.put(2, (byte) versionMax);
        h.put(3, (byte) versionActive);
        IsidField.put(h, isid);
        Bhs.putU16(h, 14, tsih);
        h.putInt(16, itt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        h.put(36, (byte) statusClass);
        h.put(37, (byte) statusDetail);
    }

    static LoginResponse decode(ByteBuffer h, ByteBuffer data) {
        int b1 = Bhs.u8(h, 1);
        boolean t = (b1 & 0x80) != 0;
        boolean c = (b1 & 0x40) != 0;
        if (t && c) {
            throw new ProtocolException(Kind.BAD_FIELD, "Login Response sets both T and C bits");
        }
        return new LoginResponse(t, c, (b1 >> 2) & 3, b1 & 3, Bhs.u8(h, 2), Bhs.u8(h, 3), IsidField.get(h),
                Bhs.u16(h, 14), h.getInt(16), h.getInt(24), h.getInt(28), h.getInt(32), Bhs.u8(h, 36), Bhs.u8(h, 37), data);
    }
}

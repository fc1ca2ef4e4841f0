package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/**
 * Login Request (RFC 7143 section 11.12). Always immediate.
 *
 * @param transit T bit: ready to move to {@code nsg}
 * @param cont C bit: the text continues in the next PDU
 * @param csg current stage (0 security, 1 operational)
 * @param nsg next stage (1 operational, 3 full feature), meaningful with T
 * @param isid 6-byte ISID as a 48-bit value
 * @param data key=value text, NUL separated
 */
public record LoginRequest(boolean transit, boolean cont, int csg, int nsg, int versionMax, int versionMin, long isid,
        int tsih, int itt, int cid, int cmdSn, int expStatSn, ByteBuffer data) implements InitiatorPdu {
    public LoginRequest {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), true, 0, data.remaining());
        h.put(1, (byte) ((transit ? 0x80 : 0) | (cont ? 0x40 : 0) | (csg & 3) << 2 | (nsg & 3)));
        h.put(2, (byte) versionMax);
        h.put(3, (byte) versionMin);
        IsidField.put(h, isid);
        Bhs.putU16(h, 14, tsih);
        h.putInt(16, itt);
        Bhs.putU16(h, 20, cid);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
    }

    static LoginRequest decode(ByteBuffer h, ByteBuffer data) {
        int b1 = Bhs.u8(h, 1);
        return new LoginRequest((b1 & 0x80) != 0, (b1 & 0x40) != 0, (b1 >> 2) & 3, b1 & 3, Bhs.u8(h, 2), Bhs.u8(h, 3),
                IsidField.get(h), Bhs.u16(h, 14), h.getInt(16), Bhs.u16(h, 20), h.getInt(24), h.getInt(28), data);
    }
}

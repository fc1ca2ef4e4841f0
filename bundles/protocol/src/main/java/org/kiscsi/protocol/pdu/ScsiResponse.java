package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * SCSI Response (RFC 7143 section 11.4).
 *
 * @param flags byte 1: o u O U bits (0x10 bidi overflow, 0x08 bidi underflow, 0x04 overflow, 0x02 underflow)
 * @param response iSCSI service response: 0 command completed at target, 1 target failure
 * @param status SCSI status (valid when response is 0)
 * @param data sense data (2-byte SenseLength, sense, response data), possibly empty
 */
public record ScsiResponse(int flags, int response, int status, int itt, int snackTag, int statSn, int expCmdSn,
        int maxCmdSn, int expDataSn, int bidiResidualCount, int residualCount, ByteBuffer data) implements TargetPdu {
    public static final int FLAG_BIDI_OVERFLOW = 0x10;
    public static final int FLAG_BIDI_UNDERFLOW = 0x08;
    public static final int FLAG_OVERFLOW = 0x04;
    public static final int FLAG_UNDERFLOW = 0x02;

    public ScsiResponse {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    public boolean overflow() {
        return (flags & FLAG_OVERFLOW) != 0;
    }

    public boolean underflow() {
        return (flags & FLAG_UNDERFLOW) != 0;
    }

    /** The sense data without its 2-byte length prefix, or empty. */
    public ByteBuffer sense() {
        if (data.remaining() < 2) {
            return Pdu.EMPTY;
        }
        int len = data.getShort(data.position()) & 0xFFFF;
        return data.duplicate().position(data.position() + 2).limit(data.position() + 2 + len).slice();
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) (0x80 | (flags & 0x1E)));
        h.put(2, (byte) response);
        h.put(3, (byte) status);
        h.putInt(16, itt);
        h.putInt(20, snackTag);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        h.putInt(36, expDataSn);
        h.putInt(40, bidiResidualCount);
        h.putInt(44, residualCount);
    }

    static ScsiResponse decode(ByteBuffer h, ByteBuffer data) {
        int flags = Bhs.u8(h, 1);
        if ((flags & 0x06) == 0x06 || (flags & 0x18) == 0x18) {
            throw new ProtocolException(Kind.BAD_FIELD, "SCSI Response for ITT 0x" + Integer.toHexString(h.getInt(16))
                    + " sets both overflow and underflow");
        }
        if (data.remaining() >= 2) {
            int senseLength = data.getShort(data.position()) & 0xFFFF;
            if (senseLength + 2 > data.remaining()) {
                throw new ProtocolException(Kind.BAD_FIELD, "SCSI Response for ITT 0x" + Integer.toHexString(h.getInt(16))
                        + ": SenseLength " + senseLength + " exceeds the data segment of " + data.remaining() + " bytes");
            }
        } else if (data.remaining() == 1) {
            throw new ProtocolException(Kind.BAD_FIELD, "SCSI Response data segment of 1 byte has no SenseLength");
        }
        return new ScsiResponse(flags & 0x1E, Bhs.u8(h, 2), Bhs.u8(h, 3), h.getInt(16), h.getInt(20), h.getInt(24),
                h.getInt(28), h.getInt(32), h.getInt(36), h.getInt(40), h.getInt(44), data);
    }
}

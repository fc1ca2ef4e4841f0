package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * SCSI Data-In (RFC 7143 section 11.7). With the S bit it also carries the command's status.
 *
 * @param flags byte 1 without F: 0x40 A (acknowledge), 0x04 O, 0x02 U, 0x01 S
 */
public record DataIn(boolean finalBit, int flags, int status, long lun, int itt, int ttt, int statSn, int expCmdSn,
        int maxCmdSn, int dataSn, int bufferOffset, int residualCount, ByteBuffer data) implements TargetPdu {
    public static final int FLAG_ACK = 0x40;
    public static final int FLAG_OVERFLOW = 0x04;
    public static final int FLAG_UNDERFLOW = 0x02;
    public static final int FLAG_STATUS = 0x01;

    public DataIn {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.DATA_IN;
    }

    public boolean hasStatus() {
        return (flags & FLAG_STATUS) != 0;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) ((finalBit ? 0x80 : 0) | (flags & 0x47)));
        h.put(3, (byte) status);
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        h.putInt(36, dataSn);
        h.putInt(40, bufferOffset);
        h.putInt(44, residualCount);
    }

    static DataIn decode(ByteBuffer h, ByteBuffer data) {
        int b1 = Bhs.u8(h, 1);
        boolean f = (b1 & 0x80) != 0;
        if ((b1 & FLAG_STATUS) != 0 && !f) {
            throw new ProtocolException(Kind.BAD_FIELD, "Data-In for ITT 0x" + Integer.toHexString(h.getInt(16))
                    + " has the S bit without the F bit");
        }
        if ((b1 & 0x06) == 0x06) {
            throw new ProtocolException(Kind.BAD_FIELD, "Data-In for ITT 0x" + Integer.toHexString(h.getInt(16))
                    + " sets both overflow and underflow");
        }
        return new DataIn(f, b1 & 0x47, Bhs.u8(h, 3), h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24),
                h.getInt(28), h.getInt(32), h.getInt(36), h.getInt(40), h.getInt(44), data);
    }
}

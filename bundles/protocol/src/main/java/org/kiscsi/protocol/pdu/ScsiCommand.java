package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * SCSI Command (RFC 7143 section 11.3). CDBs longer than 16 bytes go into an Extended CDB AHS; a
 * bidirectional command carries its read length in a Bidirectional Read AHS.
 *
 * @param bidiReadLength expected read length of a bidirectional command, or -1
 * @param data immediate data (may be empty)
 */
public record ScsiCommand(boolean finalBit, boolean read, boolean write, int attribute, long lun, int itt,
        int expectedDataTransferLength, int cmdSn, int expStatSn, byte[] cdb, int bidiReadLength,
        ByteBuffer data) implements InitiatorPdu {
    private static final int AHS_EXTENDED_CDB = 1;
    private static final int AHS_BIDI_READ_LENGTH = 2;

    public ScsiCommand {
        if (cdb.length < 1 || cdb.length > 16 + 255 * 4) {
            throw new IllegalArgumentException("CDB length " + cdb.length);
        }
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_COMMAND;
    }

    private int extendedCdbAhsLength() {
        return cdb.length <= 16 ? 0 : (4 + (cdb.length - 16) + 3) & ~3;
    }

    @Override
    public int ahsLength() {
        return extendedCdbAhsLength() + (bidiReadLength >= 0 ? 8 : 0);
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, ahsLength(), data.remaining());
        h.put(1, (byte) ((finalBit ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | (attribute & 7)));
        h.putLong(8, lun);
        h.putInt(16, itt);
        h.putInt(20, expectedDataTransferLength);
        h.putInt(24, cmdSn);
        h.putInt(28, expStatSn);
        for (int i = 0; i < Math.min(16, cdb.length); i++) {
            h.put(32 + i, cdb[i]);
        }
        int p = Bhs.LENGTH;
        if (cdb.length > 16) {
            Bhs.putU16(h, p, 1 + cdb.length - 16);
            h.put(p + 2, (byte) AHS_EXTENDED_CDB);
            for (int i = 16; i < cdb.length; i++) {
                h.put(p + 4 + i - 16, cdb[i]);
            }
            p += extendedCdbAhsLength();
        }
        if (bidiReadLength >= 0) {
            Bhs.putU16(h, p, 5);
            h.put(p + 2, (byte) AHS_BIDI_READ_LENGTH);
            h.putInt(p + 4, bidiReadLength);
        }
    }

    static ScsiCommand decode(ByteBuffer h, ByteBuffer data) {
        int b1 = Bhs.u8(h, 1);
        byte[] cdb = new byte[16];
        for (int i = 0; i < 16; i++) {
            cdb[i] = h.get(32 + i);
        }
        int bidi = -1;
        int p = Bhs.LENGTH;
        int end = h.limit();
        while (p < end) {
            if (end - p < 4) {
                throw new ProtocolException(Kind.BAD_FIELD, "SCSI Command AHS truncated at byte " + p);
            }
            int len = Bhs.u16(h, p);
            int type = Bhs.u8(h, p + 2);
            int total = (3 + len + 3) & ~3;
            if (p + total > end) {
                throw new ProtocolException(Kind.BAD_FIELD, "SCSI Command AHS of type " + type + " overruns TotalAHSLength");
            }
            if (type == AHS_EXTENDED_CDB) {
                byte[] full = Arrays.copyOf(cdb, 16 + len - 1);
                for (int i = 0; i < len - 1; i++) {
                    full[16 + i] = h.get(p + 4 + i);
                }
                cdb = full;
            } else if (type == AHS_BIDI_READ_LENGTH) {
                bidi = h.getInt(p + 4);
            }
            p += total;
        }
        return new ScsiCommand((b1 & 0x80) != 0, (b1 & 0x40) != 0, (b1 & 0x20) != 0, b1 & 7, h.getLong(8),
                h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28), cdb, bidi, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScsiCommand c && c.finalBit == finalBit && c.read == read && c.write == write
                && c.attribute == attribute && c.lun == lun && c.itt == itt
                && c.expectedDataTransferLength == expectedDataTransferLength && c.cmdSn == cmdSn
                && c.expStatSn == expStatSn && Arrays.equals(c.cdb, cdb) && c.bidiReadLength == bidiReadLength
                && c.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cdb) * 31 + itt;
    }

    @Override
    public String toString() {
        return "ScsiCommand[itt=0x" + Integer.toHexString(itt) + " cmdSn=" + Integer.toUnsignedString(cmdSn)
                + " op=0x" + Integer.toHexString(cdb[0] & 0xFF) + " edtl=" + expectedDataTransferLength
                + " imm=" + data.remaining() + (read ? " R" : "") + (write ? " W" : "") + (finalBit ? " F" : "") + "]";
    }
}

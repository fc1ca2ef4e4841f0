package org.kiscsi.protocol.pdu;

/**
 * The 8-byte LUN field of SCSI PDUs (SAM-5 single-level addressing): peripheral device addressing
 * for LUNs below 256, flat space addressing up to 16383.
 */
public final class LunField {
    private LunField() {
    }

    /** The field for LUN number {@code lun} (0..16383). */
    public static long encode(long lun) {
        if (lun < 0 || lun > 16383) {
            throw new IllegalArgumentException("LUN " + lun + " is outside 0..16383");
        }
        return lun < 256 ? lun << 48 : (0x4000L | lun) << 48;
    }

    /** The LUN number in a single-level field (peripheral or flat space addressing). */
    public static long decode(long field) {
        int method = (int) (field >>> 62) & 3;
        long first = (field >>> 48) & 0xFFFF;
        return method == 1 ? first & 0x3FFF : first & 0xFF;
    }
}

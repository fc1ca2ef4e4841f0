package org.kiscsi.api.scsi;

/**
 * The 8-byte LUN field of SAM-5 from a LUN number and back: the one encoding kiscsi has, used by the
 * session engine for iSCSI PDUs and by the SCSI layer for REPORT LUNS. Single-level LUNs:
 * <ul>
 * <li>0 to 255: peripheral device addressing, byte 0 = 0 (bus 0), byte 1 = LUN;</li>
 * <li>256 to 16383: flat space addressing, byte 0 = 0x40 | LUN bits 13-8, byte 1 = LUN bits 7-0;</li>
 * <li>16384 to 2^24-1: extended flat space addressing, byte 0 = 0xD2, bytes 1-3 = LUN;</li>
 * <li>2^24 to 2^40-1: long extended flat space addressing, byte 0 = 0xE2, bytes 1-5 = LUN.</li>
 * </ul>
 * Any other LUN field (several levels, well-known LUNs, logical unit addressing) is carried as its raw
 * 64-bit big-endian value, which {@link #toField} gives back unchanged; such values are at least 2^40
 * or negative, so they never collide with a LUN number. @since 1.2
 */
public final class Lun {
    /** Numbers up to this are single-level LUNs; raw fields have their high bytes set. */
    public static final long MAX_NUMBER = (1L << 40) - 1;

    private Lun() {
    }

    /** The LUN field of {@code lun} as one big-endian 64-bit value (byte 0 in the top bits), as PDUs carry it. */
    public static long toField(long lun) {
        if (lun < 0 || lun > MAX_NUMBER) {
            return lun;
        }
        if (lun < 256) {
            return lun << 48;
        }
        if (lun < 1 << 14) {
            return (0x4000L | lun) << 48;
        }
        if (lun < 1 << 24) {
            return (0xD2L << 56) | (lun << 32);
        }
        return (0xE2L << 56) | (lun << 16);
    }

    /**
     * The LUN number of a 64-bit LUN field (see the class comment for the raw form).
     *
     * @throws IllegalArgumentException for a multi-level field whose raw value would read as a number
     *         (a second-level address under LUN 0: bytes 0-1 are 0, a later byte is not)
     */
    public static long fromField(long field) {
        int b0 = (int) (field >>> 56) & 0xFF;
        switch (b0 >> 6) {
            case 0b00 -> {
                if (b0 == 0 && (field & 0xFFFF_FFFF_FFFFL) == 0) {
                    return (field >>> 48) & 0xFF;
                }
            }
            case 0b01 -> {
                if ((field & 0xFFFF_FFFF_FFFFL) == 0) {
                    return (field >>> 48) & 0x3FFF;
                }
            }
            default -> {
                if (b0 == 0xD2 && (field & 0xFFFF_FFFFL) == 0) {
                    return (field >>> 32) & 0xFF_FFFFL;
                }
                if (b0 == 0xE2 && (field & 0xFFFFL) == 0) {
                    return (field >>> 16) & MAX_NUMBER;
                }
            }
        }
        if (field >= 0 && field <= MAX_NUMBER) {
            throw new IllegalArgumentException(String.format("LUN field %016x: a second-level address under LUN 0"
                    + " is not supported", field));
        }
        return field;
    }

    /** Writes the 8-byte LUN field of {@code lun} at {@code off}. */
    public static void write(long lun, byte[] dst, int off) {
        long f = toField(lun);
        for (int i = 0; i < 8; i++) {
            dst[off + i] = (byte) (f >>> (56 - 8 * i));
        }
    }

    /** The LUN number of the 8-byte field at {@code off}; see {@link #fromField}. */
    public static long read(byte[] src, int off) {
        if (off < 0 || src.length - off < 8) {
            throw new IllegalArgumentException("LUN field at " + off + " needs 8 bytes, " + (src.length - off) + " left");
        }
        long f = 0;
        for (int i = 0; i < 8; i++) {
            f = f << 8 | (src[off + i] & 0xFF);
        }
        return fromField(f);
    }

    /** Readable LUN: the number, or the raw field in hex. */
    public static String toString(long lun) {
        return lun >= 0 && lun <= MAX_NUMBER ? Long.toString(lun) : String.format("0x%016x", lun);
    }
}

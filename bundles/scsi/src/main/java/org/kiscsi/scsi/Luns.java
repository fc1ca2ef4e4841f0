package org.kiscsi.scsi;

/**
 * The 8-byte LUN field (SAM-5) from a LUN number and back, for single-level LUNs:
 * <ul>
 * <li>0 to 255: peripheral device addressing, byte 0 = 0 (bus 0), byte 1 = LUN;</li>
 * <li>256 to 16383: flat space addressing, byte 0 = 0x40 | LUN bits 13-8, byte 1 = LUN bits 7-0;</li>
 * <li>16384 to 2^24-1: extended flat space addressing, byte 0 = 0xD2, bytes 1-3 = LUN;</li>
 * <li>2^24 to 2^40-1: long extended flat space addressing, byte 0 = 0xE2, bytes 1-5 = LUN.</li>
 * </ul>
 * Any other LUN field (several levels, well-known LUNs, logical unit addressing) is carried as its raw
 * 64-bit big-endian value, which {@link #encode} gives back unchanged; such values are at least 2^40
 * or negative, so they never collide with a LUN number.
 */
public final class Luns {
    /** Numbers below this are single-level LUNs; raw fields have their high bytes set. */
    public static final long MAX_NUMBER = (1L << 40) - 1;

    private Luns() {
    }

    /** The 8-byte LUN field of {@code lun}. */
    public static byte[] encode(long lun) {
        byte[] f = new byte[8];
        encode(lun, f, 0);
        return f;
    }

    /** Writes the 8-byte LUN field of {@code lun} at {@code off}. */
    public static void encode(long lun, byte[] dst, int off) {
        java.util.Arrays.fill(dst, off, off + 8, (byte) 0);
        if (lun < 0 || lun > MAX_NUMBER) {
            Bytes.put64(dst, off, lun);
        } else if (lun < 256) {
            dst[off + 1] = (byte) lun;
        } else if (lun < 1 << 14) {
            dst[off] = (byte) (0x40 | lun >> 8);
            dst[off + 1] = (byte) lun;
        } else if (lun < 1 << 24) {
            dst[off] = (byte) 0xD2;
            dst[off + 1] = (byte) (lun >> 16);
            dst[off + 2] = (byte) (lun >> 8);
            dst[off + 3] = (byte) lun;
        } else {
            dst[off] = (byte) 0xE2;
            for (int i = 1; i <= 5; i++) {
                dst[off + i] = (byte) (lun >> (8 * (5 - i)));
            }
        }
    }

    /** The LUN number of the 8-byte field at {@code off} (see the class comment for the raw form). */
    public static long decode(byte[] src, int off) {
        if (src.length < off + 8) {
            throw new IllegalArgumentException("LUN field at " + off + " needs 8 bytes, " + (src.length - off) + " left");
        }
        long raw = Bytes.u64(src, off);
        int b0 = src[off] & 0xFF;
        switch (b0 >> 6) {
            case 0b00 -> {
                if (b0 == 0 && (raw & 0xFFFF_FFFF_FFFFL) == 0) {
                    return src[off + 1] & 0xFF;
                }
            }
            case 0b01 -> {
                if ((raw & 0xFFFF_FFFF_FFFFL) == 0) {
                    return ((b0 & 0x3F) << 8) | (src[off + 1] & 0xFF);
                }
            }
            default -> {
                if (b0 == 0xD2 && (raw & 0xFFFF_FFFFL) == 0) {
                    return (raw >>> 32) & 0xFF_FFFFL;
                }
                if (b0 == 0xE2 && (raw & 0xFFFFL) == 0) {
                    return (raw >>> 16) & MAX_NUMBER;
                }
            }
        }
        if (raw >= 0 && raw <= MAX_NUMBER) {
            // a multi-level field whose raw value would read as a plain number: bytes 0-2 are 0
            throw new IllegalArgumentException(String.format("LUN field %016x: a second-level address under LUN 0"
                    + " is not supported", raw));
        }
        return raw;
    }

    /** Readable LUN: the number, or the raw field in hex. */
    public static String toString(long lun) {
        return lun >= 0 && lun <= MAX_NUMBER ? Long.toString(lun) : String.format("0x%016x", lun);
    }
}

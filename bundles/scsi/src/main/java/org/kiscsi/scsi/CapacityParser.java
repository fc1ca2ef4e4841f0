package org.kiscsi.scsi;

import org.kiscsi.api.scsi.Capacity;

/** Parses READ CAPACITY parameter data (SBC-3). */
public final class CapacityParser {
    /** What READ CAPACITY (10) returns when the LU has more blocks than 32 bits can count. */
    public static final long LBA_10_OVERFLOW = 0xFFFF_FFFFL;

    private CapacityParser() {
    }

    /**
     * READ CAPACITY (10): RETURNED LOGICAL BLOCK ADDRESS bytes 0-3, LOGICAL BLOCK LENGTH IN BYTES bytes
     * 4-7. Fails when the LBA is 0xFFFFFFFF: then only READ CAPACITY (16) can tell.
     */
    public static Capacity parse10(byte[] data) {
        Bytes.require(data, 8, "READ CAPACITY(10) data");
        long lastLba = Bytes.u32(data, 0);
        if (lastLba == LBA_10_OVERFLOW) {
            throw new IllegalArgumentException("READ CAPACITY(10) data: the LU has more than 2^32 blocks,"
                    + " READ CAPACITY(16) is needed");
        }
        return Capacity.of(lastLba + 1, blockLength(Bytes.u32(data, 4), "READ CAPACITY(10)"));
    }

    /**
     * READ CAPACITY (16): RETURNED LOGICAL BLOCK ADDRESS bytes 0-7, LOGICAL BLOCK LENGTH bytes 8-11,
     * P_TYPE byte 12 bits 3-1 and PROT_EN bit 0, LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT byte 13 bits
     * 3-0, LBPME byte 14 bit 7, LBPRZ byte 14 bit 6, LOWEST ALIGNED LOGICAL BLOCK ADDRESS byte 14 bits 5-0
     * and byte 15. A reply of 12 bytes (older targets) leaves the rest unreported.
     */
    public static Capacity parse16(byte[] data) {
        Bytes.require(data, 12, "READ CAPACITY(16) data");
        long lastLba = Bytes.u64(data, 0);
        if (lastLba < 0 || lastLba == Long.MAX_VALUE) {
            throw new IllegalArgumentException("READ CAPACITY(16) data: returned LBA 0x"
                    + Long.toHexString(lastLba) + " is beyond what kiscsi can address");
        }
        int blockSize = blockLength(Bytes.u32(data, 8), "READ CAPACITY(16)");
        int b12 = Bytes.u8(data, 12);
        int protectionType = (b12 & 0x01) != 0 ? ((b12 >> 1) & 0x07) + 1 : 0;
        return new Capacity(lastLba + 1, blockSize, Bytes.u8(data, 13) & 0x0F, Bytes.u16(data, 14) & 0x3FFF,
                protectionType, Bytes.bit(data, 14, 7), Bytes.bit(data, 14, 6));
    }

    private static int blockLength(long length, String what) {
        if (length == 0 || length > 1 << 24) {
            throw new IllegalArgumentException(what + " data: logical block length " + length + " is not usable");
        }
        return (int) length;
    }
}

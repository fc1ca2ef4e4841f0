package org.kiscsi.scsi;

import static org.kiscsi.scsi.Bytes.put16;
import static org.kiscsi.scsi.Bytes.put32;
import static org.kiscsi.scsi.Bytes.put64;

/**
 * CDBs of the block commands (SBC-3): READ/WRITE 10 and 16, READ CAPACITY 10 and 16, GET LBA STATUS, SYNCHRONIZE
 * CACHE 10 and 16, UNMAP, WRITE SAME (16), COMPARE AND WRITE. Each call returns a new array; the
 * CONTROL byte and GROUP NUMBER are 0, and so are DPO and the protection fields.
 */
public final class BlockCdbs {
    public static final int READ_10 = 0x28;
    public static final int WRITE_10 = 0x2A;
    public static final int READ_16 = 0x88;
    public static final int WRITE_16 = 0x8A;
    public static final int READ_CAPACITY_10 = 0x25;
    /** SERVICE ACTION IN (16); READ CAPACITY (16) is its service action 0x10. */
    public static final int SERVICE_ACTION_IN_16 = 0x9E;
    public static final int SA_READ_CAPACITY_16 = 0x10;
    /** GET LBA STATUS is SERVICE ACTION IN (16)'s service action 0x12. */
    public static final int SA_GET_LBA_STATUS = 0x12;
    public static final int SYNCHRONIZE_CACHE_10 = 0x35;
    public static final int SYNCHRONIZE_CACHE_16 = 0x91;
    public static final int UNMAP = 0x42;
    public static final int WRITE_SAME_16 = 0x93;
    public static final int COMPARE_AND_WRITE = 0x89;

    /** Highest LBA a 10-byte CDB can carry. */
    public static final long MAX_LBA_10 = 0xFFFF_FFFFL;
    /** Most blocks a 10-byte READ/WRITE can carry. */
    public static final int MAX_BLOCKS_10 = 0xFFFF;
    /** Most blocks a 16-byte READ/WRITE can carry. */
    public static final long MAX_BLOCKS_16 = 0xFFFF_FFFFL;
    /** Allocation length for READ CAPACITY (16): the whole 32-byte parameter data. */
    public static final int READ_CAPACITY_16_LENGTH = 32;

    private static final int FUA = 0x08;

    private BlockCdbs() {
    }

    /** Whether a 10-byte CDB can address {@code blocks} blocks at {@code lba}: LBA below 2^32, at most 65535 blocks. */
    public static boolean fits10(long lba, long blocks) {
        return lba <= MAX_LBA_10 && blocks <= MAX_BLOCKS_10;
    }

    /** READ (10) where it fits ({@link #fits10}), else READ (16). */
    public static byte[] read(long lba, long blocks, boolean fua) {
        return fits10(lba, blocks) ? read10(lba, (int) blocks, fua) : read16(lba, blocks, fua);
    }

    /** WRITE (10) where it fits ({@link #fits10}), else WRITE (16). */
    public static byte[] write(long lba, long blocks, boolean fua) {
        return fits10(lba, blocks) ? write10(lba, (int) blocks, fua) : write16(lba, blocks, fua);
    }

    /** READ (10), SBC-3: LBA bytes 2-5, TRANSFER LENGTH bytes 7-8, FUA byte 1 bit 3. */
    public static byte[] read10(long lba, int blocks, boolean fua) {
        return lba10(READ_10, fua ? FUA : 0, lba, blocks, 1);
    }

    /** WRITE (10), SBC-3. */
    public static byte[] write10(long lba, int blocks, boolean fua) {
        return lba10(WRITE_10, fua ? FUA : 0, lba, blocks, 1);
    }

    /** READ (16), SBC-3: LBA bytes 2-9, TRANSFER LENGTH bytes 10-13, FUA byte 1 bit 3. */
    public static byte[] read16(long lba, long blocks, boolean fua) {
        return lba16(READ_16, fua ? FUA : 0, lba, blocks, 1);
    }

    /** WRITE (16), SBC-3. */
    public static byte[] write16(long lba, long blocks, boolean fua) {
        return lba16(WRITE_16, fua ? FUA : 0, lba, blocks, 1);
    }

    /** READ CAPACITY (10), SBC-3. */
    public static byte[] readCapacity10() {
        byte[] c = new byte[10];
        c[0] = (byte) READ_CAPACITY_10;
        return c;
    }

    /** READ CAPACITY (16), SBC-3: SERVICE ACTION byte 1, ALLOCATION LENGTH bytes 10-13. */
    public static byte[] readCapacity16(int allocationLength) {
        byte[] c = new byte[16];
        c[0] = (byte) SERVICE_ACTION_IN_16;
        c[1] = SA_READ_CAPACITY_16;
        put32(c, 10, allocationLength);
        return c;
    }

    /** GET LBA STATUS (16), SBC-3: STARTING LOGICAL BLOCK ADDRESS bytes 2-9, ALLOCATION LENGTH bytes 10-13. */
    public static byte[] getLbaStatus(long lba, int allocationLength) {
        checkLba(lba, Long.MAX_VALUE);
        byte[] c = new byte[16];
        c[0] = (byte) SERVICE_ACTION_IN_16;
        c[1] = SA_GET_LBA_STATUS;
        put64(c, 2, lba);
        put32(c, 10, allocationLength);
        return c;
    }

    /** SYNCHRONIZE CACHE (10) where it fits, else (16); 0 blocks means "to the end". */
    public static byte[] synchronizeCache(long lba, long blocks) {
        return fits10(lba, blocks) ? synchronizeCache10(lba, (int) blocks, false) : synchronizeCache16(lba, blocks, false);
    }

    /** SYNCHRONIZE CACHE (10), SBC-3: IMMED byte 1 bit 1, LBA bytes 2-5, NUMBER OF LOGICAL BLOCKS bytes 7-8. */
    public static byte[] synchronizeCache10(long lba, int blocks, boolean immediate) {
        return lba10(SYNCHRONIZE_CACHE_10, immediate ? 0x02 : 0, lba, blocks, 0);
    }

    /** SYNCHRONIZE CACHE (16), SBC-3: IMMED byte 1 bit 1, LBA bytes 2-9, NUMBER OF LOGICAL BLOCKS bytes 10-13. */
    public static byte[] synchronizeCache16(long lba, long blocks, boolean immediate) {
        return lba16(SYNCHRONIZE_CACHE_16, immediate ? 0x02 : 0, lba, blocks, 0);
    }

    /** UNMAP, SBC-3: ANCHOR byte 1 bit 0, PARAMETER LIST LENGTH bytes 7-8. */
    public static byte[] unmap(int parameterListLength, boolean anchor) {
        checkBlocks(parameterListLength, 0, 0xFFFF);
        byte[] c = new byte[10];
        c[0] = (byte) UNMAP;
        c[1] = (byte) (anchor ? 0x01 : 0);
        put16(c, 7, parameterListLength);
        return c;
    }

    /**
     * WRITE SAME (16), SBC-3: UNMAP byte 1 bit 3, LBA bytes 2-9, NUMBER OF LOGICAL BLOCKS bytes 10-13
     * (0 means "to the end" and is refused here: too easy to pass by mistake).
     */
    public static byte[] writeSame16(long lba, long blocks, boolean unmap) {
        return lba16(WRITE_SAME_16, unmap ? 0x08 : 0, lba, blocks, 1);
    }

    /** COMPARE AND WRITE, SBC-3: FUA byte 1 bit 3, LBA bytes 2-9, NUMBER OF LOGICAL BLOCKS byte 13. */
    public static byte[] compareAndWrite(long lba, int blocks, boolean fua) {
        checkLba(lba, Long.MAX_VALUE);
        checkBlocks(blocks, 1, 0xFF);
        byte[] c = new byte[16];
        c[0] = (byte) COMPARE_AND_WRITE;
        c[1] = (byte) (fua ? FUA : 0);
        put64(c, 2, lba);
        c[13] = (byte) blocks;
        return c;
    }

    /** The 10-byte CDB layout SBC-3 shares: flags byte 1, LBA bytes 2-5, length bytes 7-8. */
    private static byte[] lba10(int opcode, int flags, long lba, int blocks, int minBlocks) {
        checkLba(lba, MAX_LBA_10);
        checkBlocks(blocks, minBlocks, MAX_BLOCKS_10);
        byte[] c = new byte[10];
        c[0] = (byte) opcode;
        c[1] = (byte) flags;
        put32(c, 2, lba);
        put16(c, 7, blocks);
        return c;
    }

    /** The 16-byte CDB layout SBC-3 shares: flags byte 1, LBA bytes 2-9, length bytes 10-13. */
    private static byte[] lba16(int opcode, int flags, long lba, long blocks, long minBlocks) {
        checkLba(lba, Long.MAX_VALUE);
        checkBlocks(blocks, minBlocks, MAX_BLOCKS_16);
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        c[1] = (byte) flags;
        put64(c, 2, lba);
        put32(c, 10, blocks);
        return c;
    }

    private static void checkLba(long lba, long max) {
        if (lba < 0 || lba > max) {
            throw new IllegalArgumentException("LBA " + Long.toUnsignedString(lba) + " does not fit (0 to " + max + ")");
        }
    }

    private static void checkBlocks(long blocks, long min, long max) {
        if (blocks < min || blocks > max) {
            throw new IllegalArgumentException("length " + blocks + " does not fit (" + min + " to " + max + ")");
        }
    }
}

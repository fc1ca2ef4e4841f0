package org.kiscsi.api.scsi;

/**
 * What READ CAPACITY reports (SBC-3). READ CAPACITY (10) fills only the block count and
 * size; the rest then keeps its "not reported" value (0 or false).
 *
 * @param blockCount number of logical blocks (RETURNED LOGICAL BLOCK ADDRESS + 1)
 * @param blockSize logical block length in bytes
 * @param physicalBlockExponent LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT: 2^n logical blocks per physical one
 * @param lowestAlignedLba LOWEST ALIGNED LOGICAL BLOCK ADDRESS
 * @param protectionType 0 without protection information, else the protection type 1..3 (P_TYPE + 1)
 * @param provisioningEnabled LBPME: the LU is thin (logical block provisioning management enabled)
 * @param readsZeros LBPRZ: unmapped blocks read as zeros
 */
public record Capacity(long blockCount, int blockSize, int physicalBlockExponent, int lowestAlignedLba,
        int protectionType, boolean provisioningEnabled, boolean readsZeros) {
    public Capacity {
        if (blockCount < 0) {
            throw new IllegalArgumentException("negative block count " + blockCount);
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
    }

    /** A capacity known only by count and size, as READ CAPACITY (10) reports it. */
    public static Capacity of(long blockCount, int blockSize) {
        return new Capacity(blockCount, blockSize, 0, 0, 0, false, false);
    }

    /** Size in bytes. */
    public long bytes() {
        return blockCount * blockSize;
    }

    /** The address of the last block (-1 for an empty LU). */
    public long lastLba() {
        return blockCount - 1;
    }

    /** Physical block size in bytes. */
    public long physicalBlockSize() {
        return (long) blockSize << physicalBlockExponent;
    }
}

package org.kiscsi.api.scsi;

/**
 * The Block Limits VPD page 0xB0 (SBC-3). Lengths are in logical blocks; 0 means the target
 * reports no limit (or, for the unmap counts, no UNMAP support); fields past the end of a short page
 * read as 0.
 *
 * @param writeSameNonZero WSNZ: WRITE SAME with 0 blocks (meaning "to the end") is not supported
 * @param maxCompareAndWriteLength MAXIMUM COMPARE AND WRITE LENGTH
 * @param optimalTransferLengthGranularity OPTIMAL TRANSFER LENGTH GRANULARITY
 * @param maxTransferLength MAXIMUM TRANSFER LENGTH
 * @param optimalTransferLength OPTIMAL TRANSFER LENGTH
 * @param maxPrefetchLength MAXIMUM PREFETCH LENGTH
 * @param maxUnmapLbaCount MAXIMUM UNMAP LBA COUNT (0xFFFFFFFF = no limit)
 * @param maxUnmapDescriptorCount MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT (0xFFFFFFFF = no limit)
 * @param optimalUnmapGranularity OPTIMAL UNMAP GRANULARITY
 * @param unmapGranularityAlignmentValid UGAVALID
 * @param unmapGranularityAlignment UNMAP GRANULARITY ALIGNMENT
 * @param maxWriteSameLength MAXIMUM WRITE SAME LENGTH
 */
public record BlockLimits(boolean writeSameNonZero, int maxCompareAndWriteLength, int optimalTransferLengthGranularity,
        long maxTransferLength, long optimalTransferLength, long maxPrefetchLength, long maxUnmapLbaCount,
        long maxUnmapDescriptorCount, long optimalUnmapGranularity, boolean unmapGranularityAlignmentValid,
        long unmapGranularityAlignment, long maxWriteSameLength) {
    /** No limits reported (a target without page 0xB0). */
    public static final BlockLimits NONE = new BlockLimits(false, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0);
}

package org.kiscsi.api.scsi;

/**
 * A range of logical blocks to unmap (one UNMAP block descriptor, SBC-3).
 *
 * @param lba first logical block
 * @param blocks number of blocks, 1 to 2^32-1
 */
public record UnmapRange(long lba, long blocks) {
    public UnmapRange {
        if (lba < 0) {
            throw new IllegalArgumentException("negative LBA " + lba);
        }
        if (blocks < 1 || blocks > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("unmap range of " + blocks + " blocks (1 to 2^32-1)");
        }
    }
}

package org.kiscsi.api.scsi;

/**
 * One LBA status descriptor of GET LBA STATUS (SBC-3): {@code blocks} blocks from {@code lba} share a
 * provisioning status.
 *
 * @param lba first LBA of the extent
 * @param blocks number of blocks in the extent
 * @param provisioningStatus PROVISIONING STATUS: 0 mapped (or unknown), 1 deallocated, 2 anchored
 */
public record LbaStatus(long lba, long blocks, int provisioningStatus) {
    public static final int MAPPED = 0;
    public static final int DEALLOCATED = 1;
    public static final int ANCHORED = 2;

    /** The blocks hold no mapped storage (deallocated or anchored). */
    public boolean unmapped() {
        return provisioningStatus == DEALLOCATED || provisioningStatus == ANCHORED;
    }

    /** The LBA after the extent. */
    public long end() {
        return lba + blocks;
    }
}

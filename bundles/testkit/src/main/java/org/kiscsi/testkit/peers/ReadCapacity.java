package org.kiscsi.testkit.peers;

/** READ CAPACITY (16) as iscsi-readcapacity16 prints it. */
public record ReadCapacity(long lastLba, int blockSize, long totalBytes, boolean lbpme, boolean lbprz) {
    /** (last LBA + 1) x block size. */
    public long computedBytes() {
        return (lastLba + 1) * blockSize;
    }
}

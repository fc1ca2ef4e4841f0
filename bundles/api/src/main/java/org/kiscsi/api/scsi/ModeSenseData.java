package org.kiscsi.api.scsi;

import java.util.List;
import java.util.Optional;

/**
 * What MODE SENSE (6) or (10) returned (SPC-4; block descriptors per SBC-3).
 *
 * @param mediumType MEDIUM TYPE
 * @param deviceSpecificParameter DEVICE-SPECIFIC PARAMETER (for block devices: WP bit 7, DPOFUA bit 4)
 * @param blockDescriptors the block descriptors, in order
 * @param pages the mode pages, in order
 */
public record ModeSenseData(int mediumType, int deviceSpecificParameter, List<BlockDescriptor> blockDescriptors,
        List<ModePage> pages) {
    /**
     * A direct-access block descriptor (short 8-byte or long 16-byte form).
     *
     * @param blockCount NUMBER OF LOGICAL BLOCKS
     * @param blockLength LOGICAL BLOCK LENGTH
     */
    public record BlockDescriptor(long blockCount, int blockLength) {
    }

    public ModeSenseData {
        blockDescriptors = List.copyOf(blockDescriptors);
        pages = List.copyOf(pages);
    }

    /** WP: the medium is write protected. */
    public boolean writeProtected() {
        return (deviceSpecificParameter & 0x80) != 0;
    }

    /** DPOFUA: the device supports the DPO and FUA bits. */
    public boolean dpoFuaSupported() {
        return (deviceSpecificParameter & 0x10) != 0;
    }

    /** The page with this code and subpage, if it was returned. */
    public Optional<ModePage> page(int pageCode, int subpageCode) {
        return pages.stream().filter(p -> p.pageCode() == pageCode && p.subpageCode() == subpageCode).findFirst();
    }

    /** WCE of the caching mode page 0x08 (SBC-3), when that page was returned. */
    public Optional<Boolean> writeCacheEnabled() {
        return page(ModePage.CACHING, 0).map(p -> (p.parameter(0) & 0x04) != 0);
    }
}

package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.scsi.LbaStatus;

/** Parses GET LBA STATUS parameter data (SBC-3). */
public final class LbaStatusParser {
    /** Header (PARAMETER DATA LENGTH and 4 reserved bytes) before the descriptors. */
    public static final int HEADER = 8;
    /** Bytes of one LBA status descriptor. */
    public static final int DESCRIPTOR = 16;

    private LbaStatusParser() {
    }

    /** The allocation length that holds {@code descriptors} descriptors. */
    public static int allocationLength(int descriptors) {
        if (descriptors < 1 || descriptors > (Integer.MAX_VALUE - HEADER) / DESCRIPTOR) {
            throw new IllegalArgumentException("GET LBA STATUS of " + descriptors + " descriptors: 1 to "
                    + (Integer.MAX_VALUE - HEADER) / DESCRIPTOR);
        }
        return HEADER + descriptors * DESCRIPTOR;
    }

    /**
     * PARAMETER DATA LENGTH bytes 0-3 (bytes after itself), then descriptors of: LBA bytes 0-7, NUMBER OF
     * LOGICAL BLOCKS bytes 8-11, PROVISIONING STATUS byte 12 bits 3-0. Descriptors past what was
     * transferred (a short allocation) are left out; an extent of 0 blocks is refused.
     */
    public static List<LbaStatus> parse(byte[] data) {
        Bytes.require(data, HEADER, "GET LBA STATUS data");
        long length = Bytes.u32(data, 0);
        long end = Math.min(data.length, 4 + length);
        List<LbaStatus> out = new ArrayList<>();
        for (int i = HEADER; i + DESCRIPTOR <= end; i += DESCRIPTOR) {
            long lba = Bytes.u64(data, i);
            long blocks = Bytes.u32(data, i + 8);
            if (lba < 0 || blocks == 0) {
                throw new IllegalArgumentException("GET LBA STATUS data: descriptor " + out.size() + " has LBA "
                        + Long.toUnsignedString(lba) + " and " + blocks + " blocks");
            }
            out.add(new LbaStatus(lba, blocks, Bytes.u8(data, i + 12) & 0x0F));
        }
        return out;
    }
}

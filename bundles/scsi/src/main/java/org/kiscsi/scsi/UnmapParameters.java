package org.kiscsi.scsi;

import java.util.List;

import org.kiscsi.api.scsi.UnmapRange;

/** The UNMAP parameter list (SBC-3): an 8-byte header and a 16-byte descriptor per range. */
public final class UnmapParameters {
    /** Most descriptors one parameter list can carry (its length is 16 bits). */
    public static final int MAX_DESCRIPTORS = (0xFFFF - 8) / 16;

    private UnmapParameters() {
    }

    /**
     * UNMAP DATA LENGTH bytes 0-1 (n - 1), UNMAP BLOCK DESCRIPTOR DATA LENGTH bytes 2-3 (n - 7), then per
     * range: LBA bytes 0-7, NUMBER OF LOGICAL BLOCKS bytes 8-11, 4 reserved bytes.
     */
    public static byte[] of(List<UnmapRange> ranges) {
        if (ranges.isEmpty() || ranges.size() > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException(ranges.size() + " UNMAP ranges in one list (1 to " + MAX_DESCRIPTORS + ")");
        }
        byte[] p = new byte[8 + 16 * ranges.size()];
        Bytes.put16(p, 0, p.length - 2);
        Bytes.put16(p, 2, p.length - 8);
        int at = 8;
        for (UnmapRange r : ranges) {
            Bytes.put64(p, at, r.lba());
            Bytes.put32(p, at + 8, r.blocks());
            at += 16;
        }
        return p;
    }
}

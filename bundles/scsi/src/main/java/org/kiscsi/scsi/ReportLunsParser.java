package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.List;

/** Parses REPORT LUNS parameter data (SPC-4). */
public final class ReportLunsParser {
    /** First allocation length kiscsi asks with: 255 LUNs; a longer list is asked for again at its length. */
    public static final int ALLOCATION_LENGTH = 8 + 255 * 8;

    private ReportLunsParser() {
    }

    /** The whole data's length as its header says: 8 + LUN LIST LENGTH (bytes 0-3). */
    public static long totalLength(byte[] data) {
        Bytes.require(data, 4, "REPORT LUNS data");
        return 8 + Bytes.u32(data, 0);
    }

    /**
     * The LUN numbers ({@link Luns#decode}) of the 8-byte LUN entries from byte 8, as many as both the
     * LUN LIST LENGTH and the received bytes hold.
     */
    public static List<Long> parse(byte[] data) {
        Bytes.require(data, 8, "REPORT LUNS data");
        long end = Math.min(totalLength(data), data.length);
        List<Long> luns = new ArrayList<>();
        for (int at = 8; at + 8 <= end; at += 8) {
            luns.add(Luns.decode(data, at));
        }
        return luns;
    }
}

package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.kiscsi.api.scsi.ModePage;
import org.kiscsi.api.scsi.ModeSenseData;
import org.kiscsi.api.scsi.ModeSenseData.BlockDescriptor;

/** Parses MODE SENSE (6) and (10) parameter data (SPC-4, SBC-3). */
public final class ModeSenseParser {
    /** First allocation lengths kiscsi asks with; longer data is asked for again at its length (10 only). */
    public static final int ALLOCATION_LENGTH_6 = 0xFF;
    public static final int ALLOCATION_LENGTH_10 = 1024;

    private ModeSenseParser() {
    }

    /** The whole data's length as a MODE SENSE (10) header says: 2 + MODE DATA LENGTH (bytes 0-1). */
    public static int totalLength10(byte[] data) {
        Bytes.require(data, 2, "MODE SENSE(10) data");
        return 2 + Bytes.u16(data, 0);
    }

    /**
     * MODE SENSE (6): MODE DATA LENGTH byte 0 (n - 1), MEDIUM TYPE byte 1, DEVICE-SPECIFIC PARAMETER byte 2,
     * BLOCK DESCRIPTOR LENGTH byte 3; short block descriptors, then pages.
     */
    public static ModeSenseData parse6(byte[] data) {
        Bytes.require(data, 4, "MODE SENSE(6) data");
        int end = Math.min(data.length, 1 + Bytes.u8(data, 0));
        return parse(data, end, Bytes.u8(data, 1), Bytes.u8(data, 2), 4, Bytes.u8(data, 3), false);
    }

    /**
     * MODE SENSE (10): MODE DATA LENGTH bytes 0-1 (n - 2), MEDIUM TYPE byte 2, DEVICE-SPECIFIC PARAMETER
     * byte 3, LONGLBA byte 4 bit 0, BLOCK DESCRIPTOR LENGTH bytes 6-7; block descriptors (16 bytes each
     * when LONGLBA), then pages.
     */
    public static ModeSenseData parse10(byte[] data) {
        Bytes.require(data, 8, "MODE SENSE(10) data");
        int end = Math.min(data.length, totalLength10(data));
        return parse(data, end, Bytes.u8(data, 2), Bytes.u8(data, 3), 8, Bytes.u16(data, 6), Bytes.bit(data, 4, 0));
    }

    private static ModeSenseData parse(byte[] d, int end, int mediumType, int deviceSpecific, int headerLength,
            int descriptorLength, boolean longLba) {
        List<BlockDescriptor> descriptors = new ArrayList<>();
        int size = longLba ? 16 : 8;
        int pagesAt = Math.min(end, headerLength + descriptorLength);
        for (int at = headerLength; at + size <= pagesAt; at += size) {
            // short: NUMBER OF LOGICAL BLOCKS bytes 0-3, LOGICAL BLOCK LENGTH bytes 5-7;
            // long: NUMBER OF LOGICAL BLOCKS bytes 0-7, LOGICAL BLOCK LENGTH bytes 12-15
            descriptors.add(longLba ? new BlockDescriptor(Bytes.u64(d, at), (int) Bytes.u32(d, at + 12))
                    : new BlockDescriptor(Bytes.u32(d, at), Bytes.u24(d, at + 5)));
        }
        return new ModeSenseData(mediumType, deviceSpecific, descriptors, pages(d, pagesAt, end));
    }

    /**
     * Mode pages: byte 0 PS bit 7, SPF bit 6, PAGE CODE bits 5-0; page_0 format: PAGE LENGTH byte 1 (n - 1);
     * sub_page format (SPF): SUBPAGE CODE byte 1, PAGE LENGTH bytes 2-3 (n - 3). A page cut off by the
     * data's end keeps the bytes that came.
     */
    private static List<ModePage> pages(byte[] d, int from, int end) {
        List<ModePage> pages = new ArrayList<>();
        int at = from;
        while (at + 2 <= end) {
            int b0 = Bytes.u8(d, at);
            boolean subpageFormat = (b0 & 0x40) != 0;
            int header = subpageFormat ? 4 : 2;
            if (at + header > end) {
                break;
            }
            int length = subpageFormat ? Bytes.u16(d, at + 2) : Bytes.u8(d, at + 1);
            int subpage = subpageFormat ? Bytes.u8(d, at + 1) : 0;
            int bodyEnd = Math.min(end, at + header + length);
            pages.add(new ModePage(b0 & 0x3F, subpage, (b0 & 0x80) != 0, Arrays.copyOfRange(d, at + header, bodyEnd)));
            at += header + length;
        }
        return pages;
    }
}

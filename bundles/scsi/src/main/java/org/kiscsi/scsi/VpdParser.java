package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.DeviceIdentifier;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;

/**
 * Parses the VPD pages kiscsi reads (SPC-4, SBC-3). Every page starts with a 4-byte header:
 * peripheral qualifier and type in byte 0, PAGE CODE byte 1, PAGE LENGTH (n - 3) bytes 2-3.
 */
public final class VpdParser {
    public static final int SUPPORTED_PAGES = 0x00;
    public static final int UNIT_SERIAL_NUMBER = 0x80;
    public static final int DEVICE_IDENTIFICATION = 0x83;
    public static final int BLOCK_LIMITS = 0xB0;
    public static final int LOGICAL_BLOCK_PROVISIONING = 0xB2;
    /** First allocation length kiscsi asks VPD pages with; a longer page is asked for again at its length. */
    public static final int ALLOCATION_LENGTH = 255;

    private VpdParser() {
    }

    /** The whole page's length as its header says (4 + PAGE LENGTH); at least 4 bytes needed. */
    public static int totalLength(byte[] page) {
        Bytes.require(page, 4, "VPD page header");
        return 4 + Bytes.u16(page, 2);
    }

    /** Page 0x00: one supported page code a byte from byte 4. */
    public static List<Integer> supportedPages(byte[] page) {
        int end = body(page, SUPPORTED_PAGES, "Supported VPD Pages");
        List<Integer> codes = new ArrayList<>(end - 4);
        for (int i = 4; i < end; i++) {
            codes.add(page[i] & 0xFF);
        }
        return codes;
    }

    /** Page 0x80: PRODUCT SERIAL NUMBER from byte 4, ASCII, leading and trailing spaces removed. */
    public static String unitSerialNumber(byte[] page) {
        int end = body(page, UNIT_SERIAL_NUMBER, "Unit Serial Number");
        return Bytes.ascii(page, 4, end).strip();
    }

    /**
     * Page 0x83: designation descriptors from byte 4, each: PROTOCOL IDENTIFIER byte 0 bits 7-4, CODE SET
     * byte 0 bits 3-0, PIV byte 1 bit 7, ASSOCIATION byte 1 bits 5-4, DESIGNATOR TYPE byte 1 bits 3-0,
     * DESIGNATOR LENGTH byte 3, DESIGNATOR from byte 4. A descriptor cut off by the page end is dropped.
     */
    public static List<DeviceIdentifier> deviceIdentifiers(byte[] page) {
        int end = body(page, DEVICE_IDENTIFICATION, "Device Identification");
        List<DeviceIdentifier> ids = new ArrayList<>();
        for (int at = 4; at + 4 <= end; at += 4 + Bytes.u8(page, at + 3)) {
            int length = Bytes.u8(page, at + 3);
            if (at + 4 + length > end) {
                break;
            }
            int b0 = Bytes.u8(page, at);
            int b1 = Bytes.u8(page, at + 1);
            ids.add(new DeviceIdentifier(b0 >> 4, b0 & 0x0F, (b1 & 0x80) != 0, (b1 >> 4) & 0x03, b1 & 0x0F,
                    Arrays.copyOfRange(page, at + 4, at + 4 + length)));
        }
        return ids;
    }

    /**
     * Page 0xB0 (SBC-3): WSNZ byte 4 bit 0, MAXIMUM COMPARE AND WRITE LENGTH byte 5, OPTIMAL
     * TRANSFER LENGTH GRANULARITY bytes 6-7, MAXIMUM TRANSFER LENGTH bytes 8-11, OPTIMAL TRANSFER LENGTH
     * bytes 12-15, MAXIMUM PREFETCH LENGTH bytes 16-19, MAXIMUM UNMAP LBA COUNT bytes 20-23, MAXIMUM UNMAP
     * BLOCK DESCRIPTOR COUNT bytes 24-27, OPTIMAL UNMAP GRANULARITY bytes 28-31, UGAVALID byte 32 bit 7,
     * UNMAP GRANULARITY ALIGNMENT bytes 32-35 bits 30-0, MAXIMUM WRITE SAME LENGTH bytes 36-43. Fields past a
     * short page's end read as 0 (SBC-2 pages are 0x10 bytes long).
     */
    public static BlockLimits blockLimits(byte[] page) {
        int end = body(page, BLOCK_LIMITS, "Block Limits");
        byte[] p = end < page.length ? Arrays.copyOf(page, end) : page;
        return new BlockLimits(Bytes.bit(p, 4, 0), Bytes.u8(p, 5), Bytes.u16(p, 6), Bytes.u32(p, 8), Bytes.u32(p, 12),
                Bytes.u32(p, 16), Bytes.u32(p, 20), Bytes.u32(p, 24), Bytes.u32(p, 28), Bytes.bit(p, 32, 7),
                Bytes.u32(p, 32) & 0x7FFF_FFFFL, Bytes.u64(p, 36));
    }

    /**
     * Page 0xB2 (SBC-3): THRESHOLD EXPONENT byte 4; byte 5: LBPU bit 7, LBPWS bit 6, LBPWS10
     * bit 5, LBPRZ bits 4-2 (SBC-4; bit 2 in SBC-3), ANC_SUP bit 1, DP bit 0; PROVISIONING TYPE byte 6
     * bits 2-0.
     */
    public static LogicalBlockProvisioning logicalBlockProvisioning(byte[] page) {
        int end = body(page, LOGICAL_BLOCK_PROVISIONING, "Logical Block Provisioning");
        byte[] p = end < page.length ? Arrays.copyOf(page, end) : page;
        int b5 = Bytes.u8(p, 5);
        return new LogicalBlockProvisioning(Bytes.u8(p, 4), (b5 & 0x80) != 0, (b5 & 0x40) != 0, (b5 & 0x20) != 0,
                (b5 >> 2) & 0x07, (b5 & 0x02) != 0, (b5 & 0x01) != 0, Bytes.u8(p, 6) & 0x07);
    }

    /** Checks the page code; returns where the page's body ends within what was received. */
    private static int body(byte[] page, int pageCode, String name) {
        int total = totalLength(page);
        int code = Bytes.u8(page, 1);
        if (code != pageCode) {
            throw new IllegalArgumentException(String.format("%s VPD page: expected page code 0x%02X, got 0x%02X",
                    name, pageCode, code));
        }
        return Math.min(total, page.length);
    }
}

package org.kiscsi.scsi;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.scsi.StandardInquiry;

/** Parses standard INQUIRY data (SPC-4). */
public final class InquiryParser {
    /** Allocation length kiscsi asks standard INQUIRY data with: all of it fits, and so does a 1-byte field of old targets. */
    public static final int ALLOCATION_LENGTH = 255;

    private InquiryParser() {
    }

    /**
     * Byte 0: PERIPHERAL QUALIFIER bits 7-5, PERIPHERAL DEVICE TYPE bits 4-0; byte 1: RMB bit 7; byte 2:
     * VERSION; byte 3: NORMACA bit 5, HISUP bit 4, RESPONSE DATA FORMAT bits 3-0; byte 4: ADDITIONAL
     * LENGTH; byte 5: SCCS bit 7, TPGS bits 5-4, 3PC bit 3, PROTECT bit 0; byte 6: ENCSERV bit 6, MULTIP
     * bit 4; byte 7: CMDQUE bit 1; VENDOR bytes 8-15, PRODUCT bytes 16-31, REVISION bytes 32-35; VERSION
     * DESCRIPTORS bytes 58-73. At least the first 36 bytes are needed (5 for a type check would do,
     * but every target sends 36).
     */
    public static StandardInquiry parse(byte[] data) {
        Bytes.require(data, 36, "standard INQUIRY data");
        int end = Math.min(data.length, 5 + Bytes.u8(data, 4));
        List<Integer> descriptors = new ArrayList<>();
        for (int at = 58; at + 2 <= Math.min(end, 74); at += 2) {
            int d = Bytes.u16(data, at);
            if (d != 0) {
                descriptors.add(d);
            }
        }
        int b0 = Bytes.u8(data, 0);
        int b3 = Bytes.u8(data, 3);
        int b5 = Bytes.u8(data, 5);
        return new StandardInquiry(b0 >> 5, b0 & 0x1F, Bytes.bit(data, 1, 7), Bytes.u8(data, 2), b3 & 0x0F,
                Bytes.bit(data, 3, 4), Bytes.bit(data, 3, 5), Bytes.bit(data, 5, 7), (b5 >> 4) & 0x03,
                Bytes.bit(data, 5, 3), Bytes.bit(data, 5, 0), Bytes.bit(data, 6, 6), Bytes.bit(data, 6, 4),
                Bytes.bit(data, 7, 1), Bytes.ascii(data, 8, 16), Bytes.ascii(data, 16, 32), Bytes.ascii(data, 32, 36),
                descriptors);
    }
}

package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kiscsi.scsi.Hex.bytes;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReportLunsAndLunsTest {
    @Test
    void reportLunsOfTgtd() {
        assertEquals(List.of(0L, 1L, 2L), ReportLunsParser.parse(TgtdReplies.REPORT_LUNS));
        assertEquals(32, ReportLunsParser.totalLength(TgtdReplies.REPORT_LUNS_CUT));
        assertEquals(List.of(0L), ReportLunsParser.parse(TgtdReplies.REPORT_LUNS_CUT));
    }

    @Test
    void reportLunsOfEveryAddressingMethod() {
        byte[] d = bytes("00000028 00000000 0005000000000000 4123000000000000 d2123456 00000000 e2123456789a0000"
                + " c101000000000000");
        assertEquals(List.of(5L, 0x123L, 0x123456L, 0x123456789aL, 0xc101000000000000L), ReportLunsParser.parse(d));
    }

    @Test
    void lunNumbersEncodeAsPeripheralFlatAndExtendedFlat() {
        // SAM-5: peripheral 00b + bus 0 | flat 01b + 14 bits | extended flat D2h + 24 bits | long extended E2h + 40 bits
        assertArrayEquals(bytes("0000000000000000"), Luns.encode(0));
        assertArrayEquals(bytes("00ff000000000000"), Luns.encode(255));
        assertArrayEquals(bytes("4100000000000000"), Luns.encode(256));
        assertArrayEquals(bytes("7fff000000000000"), Luns.encode(16383));
        assertArrayEquals(bytes("d2004000 00000000"), Luns.encode(16384));
        assertArrayEquals(bytes("d2ffffff 00000000"), Luns.encode(0xFFFFFF));
        assertArrayEquals(bytes("e2 0001000000 0000"), Luns.encode(0x1000000));
        assertArrayEquals(bytes("e2ffffffffff0000"), Luns.encode(Luns.MAX_NUMBER));
        assertArrayEquals(bytes("c101000000000000"), Luns.encode(0xc101000000000000L)); // W-LUN REPORT LUNS, raw
    }

    @Test
    void everyLunNumberRoundTrips() {
        for (long lun : new long[] {0, 1, 255, 256, 300, 16383, 16384, 0xFFFFFF, 0x1000000, Luns.MAX_NUMBER,
                0x0001000200000000L, 0xc101000000000000L, -1L}) {
            assertEquals(lun, Luns.decode(Luns.encode(lun), 0), Long.toHexString(lun));
        }
    }

    @Test
    void aSecondLevelUnderLunZeroCannotBeANumber() {
        assertThrows(IllegalArgumentException.class, () -> Luns.decode(bytes("0000000100000000"), 0));
        assertThrows(IllegalArgumentException.class, () -> Luns.decode(bytes("00000000"), 0));
        assertEquals("0x0001000200000000", Luns.toString(0x0001000200000000L));
        assertEquals("7", Luns.toString(7));
    }
}

package org.kiscsi.api.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The LUN field as a 64-bit value (PDUs) and as bytes (REPORT LUNS) agree, for every addressing method. */
class LunTest {
    private static long field(String hex) {
        return HexFormat.fromHexDigitsToLong(hex.replace(" ", ""));
    }

    @Test
    void eachRangeUsesItsAddressingMethod() {
        assertEquals(field("0000 0000 0000 0000"), Lun.toField(0));
        assertEquals(field("00ff 0000 0000 0000"), Lun.toField(255));
        assertEquals(field("4100 0000 0000 0000"), Lun.toField(256));
        assertEquals(field("7fff 0000 0000 0000"), Lun.toField(16383));
        assertEquals(field("d200 4000 0000 0000"), Lun.toField(16384));
        assertEquals(field("d2ff ffff 0000 0000"), Lun.toField(0xFFFFFF));
        assertEquals(field("e200 0100 0000 0000"), Lun.toField(0x1000000));
        assertEquals(field("e2ff ffff ffff 0000"), Lun.toField(Lun.MAX_NUMBER));
        assertEquals(0xc101000000000000L, Lun.toField(0xc101000000000000L), "a raw field (W-LUN) stays as it is");
    }

    @Test
    void numbersAndRawFieldsRoundTripThroughBothForms() {
        for (long lun : new long[] {0, 1, 255, 256, 300, 16383, 16384, 0xFFFFFF, 0x1000000, Lun.MAX_NUMBER,
                0x0001000200000000L, 0xc101000000000000L, -1L}) {
            assertEquals(lun, Lun.fromField(Lun.toField(lun)), Long.toHexString(lun));
            byte[] b = new byte[10];
            Lun.write(lun, b, 1);
            assertEquals(Lun.toField(lun), HexFormat.fromHexDigitsToLong(HexFormat.of().formatHex(b, 1, 9)), "byte form of " + Long.toHexString(lun));
            assertEquals(lun, Lun.read(b, 1), Long.toHexString(lun));
        }
    }

    @Test
    void aSecondLevelUnderLunZeroIsRefusedNotMistakenForANumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lun.fromField(field("0000 0001 0000 0000")));
        assertEquals("LUN field 0000000100000000: a second-level address under LUN 0 is not supported", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lun.read(new byte[7], 0));
        assertEquals("0x0001000200000000", Lun.toString(0x0001000200000000L));
        assertEquals("16384", Lun.toString(16384));
    }
}

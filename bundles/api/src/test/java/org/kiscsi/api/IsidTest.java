package org.kiscsi.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IsidTest {
    @Test
    void randomFormatSetsTheTBits() {
        Isid i = Isid.random(0x3FFFFF, 0x1234);
        assertEquals(Isid.Format.RANDOM, i.format());
        assertEquals("bfffff001234", i.toString());
        assertArrayEquals(new byte[] {(byte) 0xbf, (byte) 0xff, (byte) 0xff, 0, 0x12, 0x34}, i.toBytes());
    }

    @Test
    void parsesAndPrintsTwelveHexDigits() {
        assertEquals(Isid.of(0x00023d000001L), Isid.parse("00023d000001"));
        assertEquals("00023d000001", Isid.parse("0x00023D000001").toString());
        assertEquals(Isid.Format.OUI, Isid.parse("00023d000001").format());
        assertThrows(IscsiException.class, () -> Isid.parse("123"));
        assertThrows(IscsiException.class, () -> Isid.parse("zz023d000001"));
        assertThrows(IscsiException.class, () -> Isid.of(1L << 48));
    }
}

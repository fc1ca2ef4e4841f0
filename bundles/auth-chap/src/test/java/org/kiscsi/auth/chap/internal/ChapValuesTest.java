package org.kiscsi.auth.chap.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kiscsi.spi.auth.AuthenticationException;

class ChapValuesTest {
    private static final byte[] BYTES = {0x01, (byte) 0xab, (byte) 0xcd, (byte) 0xef};

    @Test
    void hexInEitherCaseWithEitherPrefix() {
        assertArrayEquals(BYTES, ChapValues.binary("CHAP_C", "0x01abcdef"));
        assertArrayEquals(BYTES, ChapValues.binary("CHAP_C", "0X01ABCDEF"));
        // an odd number of digits has an implied leading zero
        assertArrayEquals(BYTES, ChapValues.binary("CHAP_C", "0x1abcdef"));
    }

    @Test
    void base64WithOrWithoutPadding() {
        // python3 -c 'import base64; print(base64.b64encode(bytes.fromhex("01abcdef")))' -> b'AavN7w=='
        assertArrayEquals(BYTES, ChapValues.binary("CHAP_R", "0bAavN7w=="));
        assertArrayEquals(BYTES, ChapValues.binary("CHAP_R", "0BAavN7w"));
    }

    @Test
    void malformedValuesNameTheKey() {
        for (String bad : new String[] {"0xzz", "0b!!", "1234", "0x", "", "0b="}) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> ChapValues.binary("CHAP_C", bad), bad);
            assertTrue(e.getMessage().contains("CHAP_C"), e.getMessage());
        }
        assertThrows(AuthenticationException.class, () -> ChapValues.binary("CHAP_C", null));
    }

    @Test
    void sentAsLowerCaseHex() {
        assertEquals("0x01abcdef", ChapValues.hex(BYTES));
    }

    @Test
    void identifiersInDecimalOrHex() {
        assertEquals(42, ChapValues.octet("CHAP_I", "42"));
        assertEquals(255, ChapValues.octet("CHAP_I", "0xff"));
        assertThrows(AuthenticationException.class, () -> ChapValues.octet("CHAP_I", "256"));
        assertThrows(AuthenticationException.class, () -> ChapValues.octet("CHAP_I", "-1"));
        assertThrows(AuthenticationException.class, () -> ChapValues.octet("CHAP_I", "x"));
        assertThrows(AuthenticationException.class, () -> ChapValues.octet("CHAP_I", null));
    }

    /** A target's challenge of kilobytes would be hashed as sent: refused over open-iscsi's bound of 1024 bytes, hex or base64. */
    @Test
    void valuesOverTheBoundAreRefusedNamingKeyAndLength() throws Exception {
        assertEquals(1024, ChapValues.binary("CHAP_C", "0x" + "ab".repeat(1024)).length);
        var hex = assertThrows(org.kiscsi.spi.auth.AuthenticationException.class, () -> ChapValues.binary("CHAP_C", "0x" + "ab".repeat(1025)));
        assertTrue(hex.getMessage().startsWith("CHAP_C is 2052 characters long, over the 1024 bytes"), hex.getMessage());
        var b64 = assertThrows(org.kiscsi.spi.auth.AuthenticationException.class,
                () -> ChapValues.binary("CHAP_R", "0b" + java.util.Base64.getEncoder().encodeToString(new byte[1500])));
        assertTrue(b64.getMessage().contains("CHAP_R is") && b64.getMessage().contains("over the 1024 bytes"), b64.getMessage());
    }

    @Test
    void aLongNumberIsQuotedShortly() {
        var e = assertThrows(org.kiscsi.spi.auth.AuthenticationException.class, () -> ChapValues.octet("CHAP_I", "9".repeat(5000)));
        assertTrue(e.getMessage().length() < 200 && e.getMessage().contains("(5000 characters)"), e.getMessage());
    }
}

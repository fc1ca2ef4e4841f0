package org.kiscsi.testkit.target;

import java.util.Base64;
import java.util.HexFormat;

/** RFC 7143 binary values (section 6.1) as CHAP uses them: {@code 0x} hex or {@code 0b} base64 in, hex out. */
final class ChapBinary {
    private ChapBinary() {
    }

    /** The bytes of a {@code 0x}/{@code 0X} hex or {@code 0b}/{@code 0B} base64 value; null when it is neither or malformed. */
    static byte[] decode(String value) {
        if (value.length() < 3 || value.charAt(0) != '0') {
            return null;
        }
        String body = value.substring(2);
        try {
            return switch (value.charAt(1)) {
                case 'x', 'X' -> HexFormat.of().parseHex(body.length() % 2 == 0 ? body : "0" + body);
                case 'b', 'B' -> Base64.getDecoder().decode(body);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}

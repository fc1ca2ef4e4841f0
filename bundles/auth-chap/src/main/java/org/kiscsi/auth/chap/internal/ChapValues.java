package org.kiscsi.auth.chap.internal;

import java.util.Base64;
import java.util.HexFormat;

import org.kiscsi.spi.auth.AuthenticationException;

/**
 * CHAP key values as RFC 7143 section 6.1 writes them: binary values in hex ({@code 0x}) or
 * base64 ({@code 0b}), numbers in decimal or hex. kiscsi sends hex.
 */
public final class ChapValues {
    private ChapValues() {
    }

    /** A binary value (CHAP_C, CHAP_R). */
    public static byte[] binary(String key, String value) throws AuthenticationException {
        if (value == null || value.length() < 3) {
            throw new AuthenticationException(key + " is missing or empty");
        }
        String prefix = value.substring(0, 2);
        String body = value.substring(2);
        try {
            if (prefix.equalsIgnoreCase("0x")) {
                // an odd number of digits has an implied leading zero
                return HexFormat.of().parseHex(body.length() % 2 == 0 ? body : "0" + body);
            }
            if (prefix.equalsIgnoreCase("0b")) {
                byte[] b = Base64.getDecoder().decode(body);
                if (b.length == 0) {
                    throw new IllegalArgumentException("empty");
                }
                return b;
            }
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(key + " is not a valid " + (prefix.equalsIgnoreCase("0x") ? "hex" : "base64")
                    + " value");
        }
        throw new AuthenticationException(key + " is neither hex (0x...) nor base64 (0b...)");
    }

    /** A number between 0 and 255 (CHAP_I). */
    public static int octet(String key, String value) throws AuthenticationException {
        if (value == null || value.isEmpty()) {
            throw new AuthenticationException(key + " is missing");
        }
        int n;
        try {
            n = value.length() > 2 && value.substring(0, 2).equalsIgnoreCase("0x") ? Integer.parseInt(value.substring(2), 16)
                    : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new AuthenticationException(key + "=" + value + " is not a number");
        }
        if (n < 0 || n > 255) {
            throw new AuthenticationException(key + "=" + value + " is not between 0 and 255");
        }
        return n;
    }

    /** How kiscsi writes binary values: {@code 0x} and lower-case hex. */
    public static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}

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

    /**
     * The longest binary value taken (CHAP_C, CHAP_R), in bytes: open-iscsi's bound
     * (AUTH_LARGE_BINARY_MAX_LEN); a longer one is a hostile or broken peer, not a challenge.
     */
    public static final int MAX_BINARY_BYTES = 1024;
    /** How much of a value a message quotes. */
    private static final int QUOTED_CHARS = 64;

    /** A binary value (CHAP_C, CHAP_R) of at most {@link #MAX_BINARY_BYTES}. */
    public static byte[] binary(String key, String value) throws AuthenticationException {
        if (value == null || value.length() < 3) {
            throw new AuthenticationException(key + " is missing or empty");
        }
        if (value.length() > 2 + 2 * MAX_BINARY_BYTES + 1) {
            throw new AuthenticationException(key + " is " + value.length() + " characters long, over the "
                    + MAX_BINARY_BYTES + " bytes a CHAP value may have");
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
                if (b.length > MAX_BINARY_BYTES) {
                    throw new AuthenticationException(key + " is " + b.length + " bytes long, over the " + MAX_BINARY_BYTES
                            + " bytes a CHAP value may have");
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
            throw new AuthenticationException(key + "=" + quoted(value) + " is not a number");
        }
        if (n < 0 || n > 255) {
            throw new AuthenticationException(key + "=" + quoted(value) + " is not between 0 and 255");
        }
        return n;
    }

    /** A value from the target as a message quotes it: at most 64 characters, and how long it was when longer. */
    public static String quoted(String value) {
        return value == null || value.length() <= QUOTED_CHARS ? value
                : value.substring(0, QUOTED_CHARS) + "...(" + value.length() + " characters)";
    }

    /** How kiscsi writes binary values: {@code 0x} and lower-case hex. */
    public static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}

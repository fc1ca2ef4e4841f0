package org.kiscsi.testkit.hostile;

/** Looks up keys in login text (NUL-separated {@code key=value} pairs) as the replay needs them. */
final class ReplayText {
    private ReplayText() {
    }

    /** The last value of {@code key} in {@code text}, or "" when it is not there. */
    static String value(String text, String key) {
        String found = "";
        for (String pair : text.split("\0")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(key)) {
                found = pair.substring(eq + 1);
            }
        }
        return found;
    }

    /** {@code data} with {@code key}'s value replaced by {@code value} wherever it occurs. */
    static byte[] with(byte[] data, String key, String value) {
        StringBuilder out = new StringBuilder();
        for (String pair : new String(data, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
            out.append(pair.startsWith(key + "=") ? key + "=" + value : pair).append('\0');
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The CHAP response (RFC 1994: digest of identifier, secret, challenge) with the algorithm
     * {@code chapA} names (5 MD5, 6 SHA-1 as tgt reads 7, SHA-256 otherwise), in kiscsi's hex form.
     */
    static String chapResponse(String chapA, String chapI, String chapC, String secret) {
        String alg = switch (chapA) {
            case "5" -> "MD5";
            case "6", "7" -> "SHA-1";
            default -> "SHA-256";
        };
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance(alg);
            int id = chapI.startsWith("0x") ? Integer.parseInt(chapI.substring(2), 16) : Integer.parseInt(chapI);
            d.update((byte) id);
            d.update(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String hex = chapC.substring(2);
            d.update(java.util.HexFormat.of().parseHex(hex.length() % 2 == 0 ? hex : "0" + hex));
            return "0x" + java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg, e);
        }
    }
}

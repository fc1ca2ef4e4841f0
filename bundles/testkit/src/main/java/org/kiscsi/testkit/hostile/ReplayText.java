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
}

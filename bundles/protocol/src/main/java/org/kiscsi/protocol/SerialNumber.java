package org.kiscsi.protocol;

/**
 * RFC 1982 serial number arithmetic with SERIAL_BITS = 32, as RFC 7143 uses for CmdSN, StatSN,
 * DataSN and R2TSN: numbers wrap, and "less than" holds when the forward distance is below 2^31.
 */
public final class SerialNumber {
    private SerialNumber() {
    }

    /** s1 &lt; s2 in serial arithmetic. Undefined (false both ways) when they are 2^31 apart. */
    public static boolean lessThan(int s1, int s2) {
        return s1 != s2 && (s1 - s2) < 0 && (s2 - s1) != Integer.MIN_VALUE;
    }

    public static boolean greaterThan(int s1, int s2) {
        return lessThan(s2, s1);
    }

    public static boolean lessOrEqual(int s1, int s2) {
        return s1 == s2 || lessThan(s1, s2);
    }

    public static boolean greaterOrEqual(int s1, int s2) {
        return s1 == s2 || greaterThan(s1, s2);
    }

    /** The forward distance from {@code from} to {@code to} (to - from, wrapped), as an unsigned value. */
    public static long distance(int from, int to) {
        return Integer.toUnsignedLong(to - from);
    }

    /**
     * Whether a window [expCmdSn, maxCmdSn] is open: RFC 7143 section 4.2.2.1 says MaxCmdSN = ExpCmdSN - 1
     * closes it; anything below that is a protocol error the caller checks separately.
     */
    public static boolean windowOpen(int cmdSn, int maxCmdSn) {
        return lessOrEqual(cmdSn, maxCmdSn);
    }
}

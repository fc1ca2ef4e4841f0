package org.kiscsi.scsi;

/**
 * Big-endian field access for CDBs and data-in. Reads past the end of the data give 0: SCSI lets a
 * target return fewer bytes than the layout has (allocation length, older standards), and the fields it
 * left out then mean "not reported".
 */
final class Bytes {
    private Bytes() {
    }

    static int u8(byte[] b, int i) {
        return i < b.length ? b[i] & 0xFF : 0;
    }

    static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    static int u24(byte[] b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }

    static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    static boolean bit(byte[] b, int i, int bit) {
        return (u8(b, i) & (1 << bit)) != 0;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void put64(byte[] b, int i, long v) {
        put32(b, i, v >>> 32);
        put32(b, i + 4, v);
    }

    /** Fails when {@code b} is shorter than {@code n} bytes, naming what was being parsed. */
    static void require(byte[] b, int n, String what) {
        if (b.length < n) {
            throw new IllegalArgumentException(what + ": " + b.length + " bytes, at least " + n + " needed");
        }
    }

    /** ASCII field with trailing spaces and NULs removed (INQUIRY's vendor, product, revision). */
    static String ascii(byte[] b, int from, int to) {
        int end = Math.min(to, b.length);
        if (from >= end) {
            return "";
        }
        while (end > from && (b[end - 1] == ' ' || b[end - 1] == 0)) {
            end--;
        }
        return new String(b, from, end - from, java.nio.charset.StandardCharsets.US_ASCII);
    }
}

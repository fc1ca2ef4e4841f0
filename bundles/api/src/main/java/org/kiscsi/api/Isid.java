package org.kiscsi.api;

import java.util.HexFormat;

/**
 * The initiator part of the session identifier (RFC 7143 section 11.12.5): 6 bytes, the top two bits
 * of which give the format (T field). kiscsi keeps one per (node record, iface, session index) so a
 * restart or reinstatement keeps the same I_T nexus.
 */
public final class Isid {
    /** ISID format, from the two top bits of its first byte. */
    public enum Format { OUI, EN, RANDOM, RESERVED }

    private static final long MASK = 0xFFFF_FFFF_FFFFL;
    private final long value;

    private Isid(long value) {
        this.value = value;
    }

    /** The ISID whose 48 bits are the low bits of {@code value}. */
    public static Isid of(long value) {
        if ((value & ~MASK) != 0) {
            throw new IscsiException(IscsiError.INVAL, "ISID " + Long.toHexString(value) + " is wider than 48 bits");
        }
        return new Isid(value);
    }

    /**
     * A random-format ISID (T = 10b): the 22 bits after T from {@code random}, Qualifier from
     * {@code qualifier} (16 bits).
     */
    public static Isid random(int random22, int qualifier) {
        long a = 0x80L | ((random22 >>> 16) & 0x3F);
        long b = (random22 >>> 8) & 0xFF;
        long c = random22 & 0xFF;
        return new Isid(a << 40 | b << 32 | c << 24 | ((long) qualifier & 0xFFFF));
    }

    /** Parses 12 hex digits, optionally prefixed with 0x. */
    public static Isid parse(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (h.length() != 12) {
            throw new IscsiException(IscsiError.INVAL, "invalid ISID '" + hex + "': expected 12 hex digits");
        }
        try {
            return new Isid(Long.parseLong(h, 16));
        } catch (NumberFormatException e) {
            throw new IscsiException(IscsiError.INVAL, "invalid ISID '" + hex + "': not hexadecimal");
        }
    }

    public long value() {
        return value;
    }

    public Format format() {
        return Format.values()[(int) (value >>> 46) & 3];
    }

    /** The 6 bytes as they go into a login PDU. */
    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Isid && ((Isid) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    /** 12 lower-case hex digits, as open-iscsi prints an ISID. */
    @Override
    public String toString() {
        return HexFormat.of().toHexDigits(value).substring(4);
    }
}

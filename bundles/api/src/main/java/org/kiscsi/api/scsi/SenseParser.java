package org.kiscsi.api.scsi;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Decodes sense data, fixed (0x70/0x71) and descriptor (0x72/0x73) format (SPC-4); see {@link Sense#decode}. */
final class SenseParser {
    /** Descriptor types of SPC-4 that carry fields {@link Sense} keeps. */
    private static final int DESC_INFORMATION = 0x00;
    private static final int DESC_SENSE_KEY_SPECIFIC = 0x02;

    private SenseParser() {
    }

    static Optional<Sense> parse(byte[] sense) {
        if (sense == null || sense.length < 1) {
            return Optional.empty();
        }
        int responseCode = sense[0] & 0x7F;
        return switch (responseCode) {
            case 0x70, 0x71 -> sense.length < 3 ? Optional.empty() : Optional.of(fixed(sense, responseCode));
            case 0x72, 0x73 -> sense.length < 2 ? Optional.empty() : Optional.of(descriptor(sense, responseCode));
            default -> Optional.empty();
        };
    }

    /**
     * Fixed format: VALID byte 0 bit 7, SENSE KEY byte 2 bits 3-0, INFORMATION bytes 3-6, ADDITIONAL
     * SENSE LENGTH byte 7, ASC byte 12, ASCQ byte 13, SKSV byte 15 bit 7 with bytes 15-17.
     */
    private static Sense fixed(byte[] s, int responseCode) {
        int end = Math.min(s.length, 8 + u8(s, 7)); // fields beyond the additional length are not there
        byte[] b = end < s.length ? Arrays.copyOf(s, end) : s;
        SenseKey key = SenseKey.of(u8(b, 2));
        int asc = u8(b, 12);
        int ascq = u8(b, 13);
        OptionalLong info = bit(b, 0, 7) && b.length >= 7 ? OptionalLong.of(u32(b, 3)) : OptionalLong.empty();
        OptionalInt sks = b.length >= 18 && bit(b, 15, 7) ? OptionalInt.of(u24(b, 15)) : OptionalInt.empty();
        return new Sense(responseCode, key, asc, ascq, AscTable.describe(asc, ascq), info, sks);
    }

    /**
     * Descriptor format: SENSE KEY byte 1 bits 3-0, ASC byte 2, ASCQ byte 3, ADDITIONAL SENSE LENGTH
     * byte 7, then descriptors (type, additional length, contents) from byte 8.
     */
    private static Sense descriptor(byte[] s, int responseCode) {
        SenseKey key = SenseKey.of(u8(s, 1));
        int asc = u8(s, 2);
        int ascq = u8(s, 3);
        OptionalLong info = OptionalLong.empty();
        OptionalInt sks = OptionalInt.empty();
        int end = Math.min(s.length, 8 + u8(s, 7));
        for (int at = 8; at + 2 <= end; at += 2 + u8(s, at + 1)) {
            int type = u8(s, at);
            int length = u8(s, at + 1);
            if (at + 2 + length > end) {
                break; // truncated descriptor: keep what came before
            }
            if (type == DESC_INFORMATION && length >= 0x0A && bit(s, at + 2, 7)) {
                info = OptionalLong.of(u64(s, at + 4)); // VALID byte 2 bit 7, INFORMATION bytes 4-11
            } else if (type == DESC_SENSE_KEY_SPECIFIC && length >= 0x06 && bit(s, at + 4, 7)) {
                sks = OptionalInt.of(u24(s, at + 4)); // SKSV byte 4 bit 7, bytes 4-6
            }
        }
        return new Sense(responseCode, key, asc, ascq, AscTable.describe(asc, ascq), info, sks);
    }

    // Big-endian reads; past the end they give 0, as a target may send less sense than the layout has.

    private static int u8(byte[] b, int i) {
        return i < b.length ? b[i] & 0xFF : 0;
    }

    private static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int u24(byte[] b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }

    private static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    private static boolean bit(byte[] b, int i, int bit) {
        return (u8(b, i) & (1 << bit)) != 0;
    }
}

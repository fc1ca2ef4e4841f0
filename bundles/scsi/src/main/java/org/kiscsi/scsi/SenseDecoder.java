package org.kiscsi.scsi;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.SenseKey;

/** Decodes sense data, fixed (0x70/0x71) and descriptor (0x72/0x73) format (SPC-4). */
public final class SenseDecoder {
    /** Descriptor types of SPC-4 that carry fields {@link Sense} keeps. */
    private static final int DESC_INFORMATION = 0x00;
    private static final int DESC_SENSE_KEY_SPECIFIC = 0x02;

    private SenseDecoder() {
    }

    /**
     * The decoded sense, or empty when {@code sense} is too short or has a response code other than
     * 0x70 to 0x73 (vendor-specific 0x7F, or no sense at all).
     */
    public static Optional<Sense> decode(byte[] sense) {
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
        int end = Math.min(s.length, 8 + Bytes.u8(s, 7)); // fields beyond the additional length are not there
        byte[] b = end < s.length ? java.util.Arrays.copyOf(s, end) : s;
        SenseKey key = SenseKey.of(Bytes.u8(b, 2));
        int asc = Bytes.u8(b, 12);
        int ascq = Bytes.u8(b, 13);
        OptionalLong info = Bytes.bit(b, 0, 7) && b.length >= 7 ? OptionalLong.of(Bytes.u32(b, 3)) : OptionalLong.empty();
        OptionalInt sks = b.length >= 18 && Bytes.bit(b, 15, 7) ? OptionalInt.of(Bytes.u24(b, 15)) : OptionalInt.empty();
        return new Sense(responseCode, key, asc, ascq, AscTable.describe(asc, ascq), info, sks);
    }

    /**
     * Descriptor format: SENSE KEY byte 1 bits 3-0, ASC byte 2, ASCQ byte 3, ADDITIONAL SENSE LENGTH
     * byte 7, then descriptors (type, additional length, contents) from byte 8.
     */
    private static Sense descriptor(byte[] s, int responseCode) {
        SenseKey key = SenseKey.of(Bytes.u8(s, 1));
        int asc = Bytes.u8(s, 2);
        int ascq = Bytes.u8(s, 3);
        OptionalLong info = OptionalLong.empty();
        OptionalInt sks = OptionalInt.empty();
        int end = Math.min(s.length, 8 + Bytes.u8(s, 7));
        for (int at = 8; at + 2 <= end; at += 2 + Bytes.u8(s, at + 1)) {
            int type = Bytes.u8(s, at);
            int length = Bytes.u8(s, at + 1);
            if (at + 2 + length > end) {
                break; // truncated descriptor: keep what came before
            }
            if (type == DESC_INFORMATION && length >= 0x0A && Bytes.bit(s, at + 2, 7)) {
                info = OptionalLong.of(Bytes.u64(s, at + 4)); // VALID byte 2 bit 7, INFORMATION bytes 4-11
            } else if (type == DESC_SENSE_KEY_SPECIFIC && length >= 0x06 && Bytes.bit(s, at + 4, 7)) {
                sks = OptionalInt.of(Bytes.u24(s, at + 4)); // SKSV byte 4 bit 7, bytes 4-6
            }
        }
        return new Sense(responseCode, key, asc, ascq, AscTable.describe(asc, ascq), info, sks);
    }
}

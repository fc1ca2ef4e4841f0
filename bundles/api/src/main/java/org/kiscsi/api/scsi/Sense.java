package org.kiscsi.api.scsi;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Decoded sense data of a CHECK CONDITION (fixed or descriptor format, SPC-4).
 *
 * @param responseCode 0x70/0x71 (fixed, current/deferred) or 0x72/0x73 (descriptor, current/deferred)
 * @param key the sense key
 * @param asc additional sense code
 * @param ascq additional sense code qualifier
 * @param description readable text of ASC/ASCQ, e.g. "LOGICAL BLOCK ADDRESS OUT OF RANGE"; for a code
 *        the decoder does not know, "ASC 0xNN ASCQ 0xNN"
 * @param information the INFORMATION field when valid (e.g. the LBA of a medium error, the offset of a
 *        miscompare)
 * @param senseKeySpecific the three SENSE KEY SPECIFIC bytes as one number when SKSV is set (field
 *        pointer for ILLEGAL REQUEST, progress for NOT READY)
 */
public record Sense(int responseCode, SenseKey key, int asc, int ascq, String description, OptionalLong information,
        OptionalInt senseKeySpecific) {
    public Sense {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(information, "information");
        Objects.requireNonNull(senseKeySpecific, "senseKeySpecific");
    }

    /**
     * Decodes sense data as a CHECK CONDITION carries it (without the iSCSI 2-byte length prefix): fixed
     * (0x70/0x71) or descriptor (0x72/0x73) format, with the ASC/ASCQ text of SPC-4 Annex D. Empty when
     * {@code sense} is null, too short, or has another response code (vendor-specific 0x7F, or no sense
     * at all). Fixed-format fields past the end of the data or its ADDITIONAL SENSE LENGTH read as 0;
     * descriptors cut off there are left out. @since 1.3
     */
    public static Optional<Sense> decode(byte[] sense) {
        return SenseParser.parse(sense);
    }

    /**
     * The ASC/ASCQ, as {@code asc << 8 | ascq}, whose {@link #description()} is exactly {@code description},
     * e.g. 0x3F0E for "REPORTED LUNS DATA HAS CHANGED" (turns a
     * {@link org.kiscsi.api.session.SessionListener#rescanNeeded} reason back into codes); empty for a
     * text that is not in the table. @since 1.3
     */
    public static OptionalInt ascAscqOf(String description) {
        return AscTable.code(description);
    }

    /** True for current errors (0x70, 0x72), false for deferred ones. */
    public boolean current() {
        return responseCode == 0x70 || responseCode == 0x72;
    }

    public boolean descriptorFormat() {
        return responseCode == 0x72 || responseCode == 0x73;
    }

    /** Whether the sense key is UNIT ATTENTION. @since 1.3 */
    public boolean isUnitAttention() {
        return key == SenseKey.UNIT_ATTENTION;
    }

    /** Whether ASC and ASCQ are these. */
    public boolean is(int asc, int ascq) {
        return this.asc == asc && this.ascq == ascq;
    }

    /**
     * One line for people: "ILLEGAL REQUEST: INVALID FIELD IN CDB (ASC 0x24 ASCQ 0x00), CDB byte 1 bit 3".
     */
    public String text() {
        StringBuilder b = new StringBuilder(key.text()).append(": ").append(description);
        String codes = String.format("ASC 0x%02X ASCQ 0x%02X", asc, ascq);
        if (!description.equals(codes)) {
            b.append(" (").append(codes).append(')');
        }
        if (!current()) {
            b.append(", deferred");
        }
        senseKeySpecific.ifPresent(sks -> appendSenseKeySpecific(b, sks));
        information.ifPresent(i -> b.append(", information 0x").append(Long.toHexString(i)));
        return b.toString();
    }

    private void appendSenseKeySpecific(StringBuilder b, int sks) {
        int field = sks & 0xFFFF;
        int flags = (sks >>> 16) & 0xFF;
        if (key == SenseKey.ILLEGAL_REQUEST) {
            // SPC-4: C/D bit 6, BPV bit 3, BIT POINTER bits 2..0, FIELD POINTER bytes 1..2
            b.append((flags & 0x40) != 0 ? ", CDB byte " : ", parameter data byte ").append(field);
            if ((flags & 0x08) != 0) {
                b.append(" bit ").append(flags & 0x07);
            }
        } else if (key == SenseKey.NOT_READY || key == SenseKey.NO_SENSE) {
            // SPC-4: PROGRESS INDICATION, a fraction of 65536
            b.append(", progress ").append(field * 100 / 65536).append('%');
        }
    }

    @Override
    public String toString() {
        return "Sense[" + text() + "]";
    }
}

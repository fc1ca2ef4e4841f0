package org.kiscsi.api.scsi;

/** Persistent reservation TYPE codes (SPC-4). */
public enum PrType {
    WRITE_EXCLUSIVE(0x1),
    EXCLUSIVE_ACCESS(0x3),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8);

    private final int code;

    PrType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code; IllegalArgumentException for a code SPC-4 does not assign. */
    public static PrType of(int code) {
        for (PrType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException(String.format("persistent reservation type 0x%X is not assigned by SPC-4", code));
    }
}

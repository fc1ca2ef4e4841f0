package org.kiscsi.engine.internal;

/**
 * Just enough sense parsing for the engine's own decisions (unit attentions): sense key, ASC and
 * ASCQ of fixed (0x70/0x71) and descriptor (0x72/0x73) format sense data. Full decoding with text is
 * the SCSI layer's.
 */
record Sense(int key, int asc, int ascq) {
    static final int UNIT_ATTENTION = 0x6;

    /** The sense in {@code b}, or null when it is too short or of an unknown format. */
    static Sense parse(byte[] b) {
        if (b.length < 1) {
            return null;
        }
        int code = b[0] & 0x7F;
        if ((code == 0x70 || code == 0x71) && b.length >= 14) {
            return new Sense(b[2] & 0x0F, b[12] & 0xFF, b[13] & 0xFF);
        }
        if ((code == 0x72 || code == 0x73) && b.length >= 4) {
            return new Sense(b[1] & 0x0F, b[2] & 0xFF, b[3] & 0xFF);
        }
        return null;
    }

    boolean isUnitAttention() {
        return key == UNIT_ATTENTION;
    }

    boolean reportedLunsChanged() {
        return asc == 0x3F && ascq == 0x0E;
    }

    boolean capacityChanged() {
        return asc == 0x2A && ascq == 0x09;
    }

    @Override
    public String toString() {
        return String.format("sense key 0x%x ASC 0x%02x ASCQ 0x%02x", key, asc, ascq);
    }
}

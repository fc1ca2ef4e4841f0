package org.kiscsi.protocol.pdu;

import org.kiscsi.api.scsi.Lun;

/**
 * The 8-byte LUN field of SCSI PDUs as the 64-bit value the codec reads and writes. The encoding is
 * the API's {@link Lun} (peripheral, flat, extended flat and long extended flat addressing; other
 * fields carried raw), the same the SCSI layer uses for REPORT LUNS.
 */
public final class LunField {
    private LunField() {
    }

    /** The field for LUN number {@code lun} (or a raw field, unchanged). */
    public static long encode(long lun) {
        return Lun.toField(lun);
    }

    /**
     * The LUN number in {@code field}; raw for fields that are not single-level numbers.
     *
     * @throws IllegalArgumentException for a second-level address under LUN 0, which has no number
     */
    public static long decode(long field) {
        return Lun.fromField(field);
    }
}

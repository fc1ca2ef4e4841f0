package org.kiscsi.scsi;

import org.kiscsi.api.scsi.Lun;

/**
 * The 8-byte LUN field (SAM-5) from a LUN number and back, in the byte form REPORT LUNS carries. The
 * encoding itself is the API's {@link Lun}, which the session engine uses for iSCSI PDUs too: see it
 * for the addressing methods and the raw form of fields that are not single-level LUN numbers.
 */
public final class Luns {
    /** Numbers up to this are single-level LUNs; raw fields have their high bytes set. */
    public static final long MAX_NUMBER = Lun.MAX_NUMBER;

    private Luns() {
    }

    /** The 8-byte LUN field of {@code lun}. */
    public static byte[] encode(long lun) {
        byte[] f = new byte[8];
        Lun.write(lun, f, 0);
        return f;
    }

    /** Writes the 8-byte LUN field of {@code lun} at {@code off}. */
    public static void encode(long lun, byte[] dst, int off) {
        Lun.write(lun, dst, off);
    }

    /** The LUN number of the 8-byte field at {@code off} (see {@link Lun#fromField} for the raw form). */
    public static long decode(byte[] src, int off) {
        return Lun.read(src, off);
    }

    /** Readable LUN: the number, or the raw field in hex. */
    public static String toString(long lun) {
        return Lun.toString(lun);
    }
}

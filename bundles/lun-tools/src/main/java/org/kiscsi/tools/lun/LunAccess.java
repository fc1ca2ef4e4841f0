package org.kiscsi.tools.lun;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.scsi.Luns;
import org.kiscsi.scsi.VpdParser;

/**
 * Reaching one LUN of a logged-in session, whoever logged it in (the standalone tools' own engine or
 * the daemon): checked against REPORT LUNS, so an unknown LUN fails naming the ones there are, and
 * against {@code force_usn}. Blocking, every wait bounded.
 */
public final class LunAccess {
    private LunAccess() {
    }

    /**
     * Opens {@code lun} of session {@code sid} as a block device; a LUN the target does not report fails
     * with {@link IscsiError#NO_OBJS_FOUND} naming the LUNs it has.
     */
    public static BlockDevice open(LunService luns, long sid, long lun, String where, Duration timeout) {
        requireLun(luns, sid, lun, where, timeout);
        return Await.result(luns.open(sid, lun), timeout, where + " LUN " + Luns.toString(lun) + ": open");
    }

    /** Fails with {@link IscsiError#NO_OBJS_FOUND}, naming the LUNs there are, when REPORT LUNS does not list {@code lun}. */
    public static void requireLun(LunService luns, long sid, long lun, String where, Duration timeout) {
        List<Long> reported = Await.result(luns.reportLuns(sid), timeout, where + ": REPORT LUNS");
        if (!reported.contains(lun)) {
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, where + " has no LUN " + Luns.toString(lun) + " (it reports "
                    + (reported.isEmpty() ? "none" : "LUN " + reported.stream().map(Luns::toString).collect(Collectors.joining(", ")))
                    + ")");
        }
    }

    /** {@code force_usn}: the LUN must report that Unit Serial Number (VPD page 0x80), as libiscsi checks at connect. */
    public static void checkSerial(BlockDevice d, String expected, String where, Duration timeout) {
        if (expected == null) {
            return;
        }
        String usn = Await.result(d.unitSerialNumber(), timeout, where + ": INQUIRY VPD 0x80");
        requireSerial(usn, expected, where);
    }

    /** {@code force_usn} checked with an INQUIRY helper (a LU that is not a disk has no block device). */
    public static void checkSerial(LunInquirer q, String expected) {
        if (expected != null) {
            requireSerial(VpdParser.unitSerialNumber(q.vpd(0x80)), expected, q.where());
        }
    }

    private static void requireSerial(String usn, String expected, String where) {
        if (!usn.equals(expected)) {
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, where + " reports Unit Serial Number '" + usn
                    + "', not '" + expected + "' (force_usn)");
        }
    }
}

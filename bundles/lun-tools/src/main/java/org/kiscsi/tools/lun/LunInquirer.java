package org.kiscsi.tools.lun;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiStatusException;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.scsi.InquiryParser;
import org.kiscsi.scsi.PrimaryCdbs;
import org.kiscsi.scsi.VpdParser;

/**
 * INQUIRY of any LU over a session's executor, without opening it as a block device (a target's LUN 0
 * is often a storage array controller, which has no capacity). Blocking, each command bounded: an edge
 * helper for kiscsi-inq and the shell.
 */
public final class LunInquirer {
    private final ScsiTaskExecutor executor;
    private final long lun;
    private final String where;
    private final Duration timeout;

    public LunInquirer(ScsiTaskExecutor executor, long lun, String where, Duration timeout) {
        this.executor = executor;
        this.lun = lun;
        this.where = where;
        this.timeout = timeout;
    }

    public String where() {
        return where;
    }

    public StandardInquiry standard() {
        byte[] d = fetch(false, 0, InquiryParser.ALLOCATION_LENGTH);
        return InquiryParser.parse(d);
    }

    /** The VPD page, whole: asked for again at its own length when longer than the first answer. */
    public byte[] vpd(int page) {
        byte[] d = fetch(true, page, VpdParser.ALLOCATION_LENGTH);
        int total = VpdParser.totalLength(d);
        if (total > d.length && total <= 0xFFFF) {
            d = fetch(true, page, total);
        }
        return d.length > total ? Arrays.copyOf(d, total) : d;
    }

    private byte[] fetch(boolean evpd, int page, int length) {
        byte[] cdb = evpd ? PrimaryCdbs.inquiryVpd(page, length) : PrimaryCdbs.inquiry(length);
        String what = evpd ? String.format("%s: INQUIRY VPD 0x%02x", where, page) : where + ": INQUIRY";
        ByteBuffer in = ByteBuffer.allocate(length);
        ScsiResult r = Await.result(executor.execute(ScsiTask.read(lun, cdb, in)), timeout, what);
        if (!r.isGood()) {
            Optional<Sense> s = r.status() == ScsiResult.CHECK_CONDITION ? Sense.decode(r.sense()) : Optional.empty();
            throw s.isPresent() ? new CheckConditionException(what, s.get(), cdb[0] & 0xFF, lun)
                    : new ScsiStatusException(what, r.status(), cdb[0] & 0xFF, lun);
        }
        return Arrays.copyOf(in.array(), Math.min(length, r.bytesIn()));
    }
}

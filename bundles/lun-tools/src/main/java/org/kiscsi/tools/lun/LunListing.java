package org.kiscsi.tools.lun;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.scsi.Luns;

/**
 * {@code kiscsi-ls}: the targets of a portal (SendTargets) and, with LUNs asked for, each target's LUNs
 * with type, size, vendor and product, in libiscsi {@code iscsi-ls -s}'s lines
 * ({@code Target:IQN Portal:HOST:PORT,TPGT}, {@code Lun:N    Type:T (Size:S)}) followed by
 * {@code Vendor:} and {@code Product:}. Unlike iscsi-ls, a target that refuses the login (CHAP) is
 * reported and the listing goes on; {@link #failures()} has what failed. It lists the LUNs of a logged-in
 * session; who logs in (the standalone tool's own engine, the daemon for the shell) is the caller's affair.
 */
public final class LunListing {
    private final PrintStream out;
    private final PrintStream err;
    private final Duration timeout;
    private final List<IscsiException> failures = new ArrayList<>();

    public LunListing(PrintStream out, PrintStream err, Duration timeout) {
        this.out = out;
        this.err = err;
        this.timeout = timeout;
    }

    /** What failed on the way (logins, commands), in order; the listing itself went on. */
    public List<IscsiException> failures() {
        return List.copyOf(failures);
    }

    /** Reports a target whose login failed; the listing goes on and {@link #exitCode()} remembers it. */
    public void loginFailed(String target, Portal portal, IscsiException e) {
        failures.add(e);
        err.println("  " + target + " at " + portal.hostPort() + ": login failed: " + e.getMessage());
    }

    /** The LUNs of a logged-in session (the shell calls this with the daemon's LUN service and a session id). */
    public void luns(LunService luns, long sid, String where) {
        List<Long> list;
        try {
            list = Await.result(luns.reportLuns(sid), timeout, where + ": REPORT LUNS");
        } catch (IscsiException e) {
            failures.add(e);
            err.println("  " + where + ": " + e.getMessage());
            return;
        }
        for (long lun : list) {
            try {
                out.println(lunLine(luns, sid, lun, where));
            } catch (IscsiException e) {
                failures.add(e);
                err.println("  " + where + " LUN " + Luns.toString(lun) + ": " + e.getMessage());
            }
        }
    }

    private String lunLine(LunService luns, long sid, long lun, String where) {
        StandardInquiry q = Await.result(luns.inquiry(sid, lun), timeout, where + " LUN " + lun + ": INQUIRY");
        StringBuilder b = new StringBuilder(String.format("Lun:%-4s Type:%s", Luns.toString(lun), ScsiNames.deviceType(q.deviceType())));
        if (q.deviceType() == StandardInquiry.TYPE_DIRECT_ACCESS) {
            Capacity c = Await.result(luns.capacity(sid, lun), timeout, where + " LUN " + lun + ": READ CAPACITY");
            b.append(" (Size:").append(size(c.bytes())).append(')');
        }
        return b.append(" Vendor:").append(q.vendor()).append(" Product:").append(q.product()).toString();
    }

    /** iscsi-ls's size: divided by 1024 while above 1024, at most to T; of the whole LU (iscsi-ls leaves out its last block). */
    public static String size(long bytes) {
        String units = " kMGT";
        long s = bytes;
        int u = 0;
        while (u < 4 && s > 1024) {
            s /= 1024;
            u++;
        }
        return u == 0 ? s + " " : Long.toString(s) + units.charAt(u);
    }

    /** The exit code a listing with failures ends with: the first failure's. */
    public int exitCode() {
        return failures.isEmpty() ? 0 : failures.get(0).error() == IscsiError.OK ? 1 : failures.get(0).error().code();
    }
}

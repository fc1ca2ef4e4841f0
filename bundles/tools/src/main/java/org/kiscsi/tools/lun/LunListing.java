package org.kiscsi.tools.lun;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.discovery.sendtargets.SendTargetsDiscovery;
import org.kiscsi.scsi.Luns;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.tools.url.IscsiUrl;

/**
 * {@code kiscsi-ls}: the targets of a portal (SendTargets) and, with LUNs asked for, each target's LUNs
 * with type, size, vendor and product, in libiscsi {@code iscsi-ls -s}'s lines
 * ({@code Target:IQN Portal:HOST:PORT,TPGT}, {@code Lun:N    Type:T (Size:S)}) followed by
 * {@code Vendor:} and {@code Product:}. Unlike iscsi-ls, a target that refuses the login (CHAP) is
 * reported and the listing goes on; {@link #failures()} has what failed.
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

    /** The targets {@code url}'s portal reports, each with its LUNs when {@code showLuns}; {@code urls}: as iscsi-ls -U. */
    public void discover(StandaloneInitiator initiator, IscsiUrl url, String initiatorName, boolean showLuns, boolean urls) {
        RecordValues v = RecordValues.empty();
        if (url.chap() != null) { // libiscsi logs in to discovery with the URL's user too; one-way, so None still passes
            v = v.with("discovery.sendtargets.auth.authmethod", "CHAP").with("discovery.sendtargets.auth.username", url.chap().user())
                    .with("discovery.sendtargets.auth.password", url.chap().secret());
        }
        DiscoveryRecord st = new DiscoveryRecord(DiscoveryType.SENDTARGETS, url.portal(), v);
        List<DiscoveredTarget> found = Await.result(new SendTargetsDiscovery().discover(st,
                new DiscoveryContext(IscsiName.of(initiatorName), initiator.engine(), timeout)), timeout.plusSeconds(5),
                "SendTargets discovery at " + url.portal().hostPort());
        for (DiscoveredTarget t : found) {
            for (Portal p : t.portals()) {
                if (urls && !showLuns) {
                    out.println("iscsi://" + p.hostPort() + "/" + t.name().value() + "/0");
                } else {
                    out.println("Target:" + t.name().value() + " Portal:" + p);
                }
                if (showLuns) {
                    target(initiator, url, t.name().value(), p);
                }
            }
        }
    }

    /** Logs in to {@code target} at {@code portal}, lists its LUNs, logs out; a failed login is reported, not thrown. */
    public void target(StandaloneInitiator initiator, IscsiUrl url, String target, Portal portal) {
        long sid;
        try {
            sid = initiator.login(url, target, portal);
        } catch (IscsiException e) {
            failures.add(e);
            err.println("  " + target + " at " + portal.hostPort() + ": login failed: " + e.getMessage());
            return;
        }
        try {
            luns(initiator.luns(), sid, target);
        } finally {
            initiator.logout(sid);
        }
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

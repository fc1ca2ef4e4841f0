package org.kiscsi.shell.commands;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.scsi.Await;
import org.kiscsi.tools.lun.LunListing;

/**
 * {@code kiscsi-ls iscsi://host:port/target} on the daemon's sessions: for each (or the one {@code -r} or
 * the URL names) a {@code Target:IQN Portal:HOST:PORT} line and its LUNs with type, size, vendor and
 * product, through the same {@link LunListing}. A failure on one LUN is reported and the listing goes on.
 */
@Command(scope = "iscsi", name = "lun-ls", description = "Lists the LUNs of the daemon's sessions: type, size, vendor, product (bin/kiscsi-ls URL-of-a-target)")
@Service
public class LunLsCommand extends LunCommandSupport {
    @Argument(index = 0, name = "url", description = "iscsi://host[:port]/target-iqn of a target the daemon is logged in to (or -r SID; neither: every session)")
    String url;

    @Override
    String name() {
        return "iscsi:lun-ls";
    }

    @Override
    int run(PrintStream out, PrintStream err) {
        List<LunTarget> targets = new ArrayList<>();
        if (url == null && sid == null) {
            if (lun != null) {
                throw new org.kiscsi.tools.lun.UsageException("-l names a LUN; iscsi:lun-ls lists sessions (-r)");
            }
            for (SessionDetails s : Await.result(management.sessions(), timeout(), "the iSCSI daemon's sessions")) {
                targets.add(new LunTarget(s.info().sid(), s.info().node().target().value(), s.info().node().portal(), -1, null));
            }
        } else {
            targets.add(target(url, false));
        }
        LunListing listing = new LunListing(out, err, timeout());
        for (LunTarget t : targets) {
            out.println("Target:" + t.target() + " Portal:" + t.portal().hostPort());
            listing.luns(luns, t.sid(), t.target());
        }
        return listing.exitCode();
    }
}

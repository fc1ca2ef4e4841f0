package org.kiscsi.shell.commands;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.tools.lun.CapacityReport;
import org.kiscsi.tools.lun.LunAccess;

/** {@code kiscsi-readcap} on a LUN of the daemon's sessions: READ CAPACITY (16), every field, in iscsi-readcapacity16's lines. */
@Command(scope = "iscsi", name = "lun-readcap", description = "READ CAPACITY (16) of a LUN of the daemon's sessions (bin/kiscsi-readcap)")
@Service
public class LunReadcapCommand extends LunCommandSupport {
    @Option(name = "-s", aliases = "--size", description = "Only the size in bytes")
    boolean sizeOnly;

    @Argument(index = 0, name = "url", description = "iscsi://host[:port]/target-iqn/lun of a target the daemon is logged in to (or -r SID -l LUN)")
    String url;

    @Override
    String name() {
        return "iscsi:lun-readcap";
    }

    @Override
    int run(PrintStream out, PrintStream err) {
        LunTarget t = target(url, true);
        BlockDevice d = LunAccess.open(luns, t.sid(), t.lun(), t.targetWhere(), timeout());
        LunAccess.checkSerial(d, t.expectedSerial(), t.where(), timeout());
        CapacityReport c = CapacityReport.read(d, t.where(), timeout());
        if (sizeOnly) {
            out.println(c.totalBytes());
        } else {
            c.print(out);
        }
        return 0;
    }
}

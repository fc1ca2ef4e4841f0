package org.kiscsi.shell.commands;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.kiscsi.tools.lun.InquiryReport;
import org.kiscsi.tools.lun.LunAccess;
import org.kiscsi.tools.lun.LunInquirer;
import org.kiscsi.tools.lun.UsageException;

/** {@code kiscsi-inq} on a LUN of the daemon's sessions: INQUIRY and its VPD pages, in libiscsi {@code iscsi-inq}'s lines. */
@Command(scope = "iscsi", name = "lun-inq", description = "INQUIRY of a LUN of the daemon's sessions, standard data or VPD pages (bin/kiscsi-inq)")
@Service
public class LunInqCommand extends LunCommandSupport {
    @Option(name = "-e", aliases = "--evpd", description = "1: a VPD page (iscsi-inq's -e)")
    @Completion(value = StringsCompleter.class, values = {"0", "1"})
    String evpd;

    @Option(name = "-c", aliases = "--pagecode", description = "The VPD page, decimal or 0x.. (0x00 lists them)")
    @Completion(value = StringsCompleter.class, values = {"0x00", "0x80", "0x83", "0xb0", "0xb1", "0xb2"})
    String page;

    @Option(name = "-a", aliases = "--all", description = "The standard data and every VPD page the LUN lists")
    boolean all;

    @Argument(index = 0, name = "url", description = "iscsi://host[:port]/target-iqn/lun of a target the daemon is logged in to (or -r SID -l LUN)")
    String url;

    @Override
    String name() {
        return "iscsi:lun-inq";
    }

    @Override
    int run(PrintStream out, PrintStream err) {
        int e = evpd == null ? 0 : number("-e", evpd, 1);
        int c = page == null ? 0 : number("-c", page, 255);
        if (e == 0 && c != 0) {
            throw new UsageException("-c " + c + " needs -e 1 (a VPD page)");
        }
        LunTarget t = target(url, true);
        LunAccess.requireLun(luns, t.sid(), t.lun(), t.targetWhere(), timeout());
        LunInquirer q = new LunInquirer(sessions.executor(t.sid()), t.lun(), t.where(), timeout());
        LunAccess.checkSerial(q, t.expectedSerial());
        InquiryReport r = new InquiryReport(q);
        if (all) {
            r.all(out);
        } else if (e == 1) {
            r.page(c, out);
        } else {
            r.standard(out);
        }
        return 0;
    }

    /** As kiscsi-inq reads -e and -c: decimal or 0x.., within 0..max. */
    static int number(String option, String v, int max) {
        try {
            int n = v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException x) {
            throw new UsageException(option + " takes 0.." + max + ", not '" + v + "'");
        }
    }
}

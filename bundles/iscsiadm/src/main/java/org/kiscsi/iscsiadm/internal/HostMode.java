package org.kiscsi.iscsiadm.internal;

import java.util.List;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.mgmt.text.HostText;

/**
 * {@code iscsiadm -m host [-P 0..4] [-H n]}: a kiscsi host is one installed transport instance (open-iscsi's
 * are kernel SCSI hosts). The sub-modes {@code -C chap|flashnode|stats} read and write an offload
 * card's tables through the kernel: kiscsi has neither, and says so (27).
 */
final class HostMode implements Mode {
    @Override
    public String name() {
        return "host";
    }

    @Override
    public Set<Option> options() {
        // 2.1.8: "CHdmPotnvxA"
        return Set.of(Option.SUBMODE, Option.HOST, Option.DEBUG, Option.PRINT, Option.OP, Option.NAME, Option.VALUE,
                Option.INDEX, Option.PORTAL_TYPE);
    }

    @Override
    public int run(CommandLine line, Env env) throws ClientException {
        if (line.has(Option.SUBMODE)) {
            String sub = line.value(Option.SUBMODE).orElse("");
            if (!Set.of("chap", "flashnode", "stats").contains(sub)) {
                throw new ClientException(IscsiError.INVAL, "Invalid Sub Mode");
            }
            throw new ClientException(IscsiError.OP_NOT_SUPP, "host mode: -C " + sub + " works on an offload card's own "
                    + (sub.equals("chap") ? "CHAP table" : sub.equals("flashnode") ? "flash node entries" : "statistics")
                    + " through the kernel; kiscsi is a user-space initiator with no such card or kernel host"
                    + (sub.equals("stats") ? " (session statistics: iscsiadm -m session -s)" : ""));
        }
        int only = -1;
        if (line.has(Option.HOST)) {
            String h = line.value(Option.HOST).orElse("");
            try {
                only = Integer.parseInt(h.trim());
            } catch (NumberFormatException e) {
                throw new ClientException(IscsiError.INVAL, "Invalid host no " + h + ". kiscsi hosts are numbered"
                        + " (iscsiadm -m host lists them); they have no MAC address");
            }
        }
        int level = Args.printLevel(line);
        IscsiManagement m = env.management();
        return env.print(HostText.print(env.await(m.hosts()), level >= 2 ? env.await(m.sessions()) : List.of(), level, only));
    }
}

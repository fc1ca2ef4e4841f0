package org.kiscsi.mgmt.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.SessionDetails;

/**
 * {@code iscsiadm -m host [-P 0..4] [-H n]} as 2.1.8 prints it (usr/host.c {@code host_info_print},
 * {@code host_info_print_flat}, {@code host_info_print_tree}, {@code print_host_info}). open-iscsi's
 * hosts are the kernel's SCSI hosts; a kiscsi host is one installed transport instance, and its
 * sessions are those running over it. A user-space transport has no kernel iSCSI iface of its own,
 * so no "Interface:" block follows a host (as for open-iscsi's software iSCSI).
 */
public final class HostText {
    private HostText() {
    }

    /**
     * @param only the {@code -H} host number, or negative; as 2.1.8, -P 0 lists every host whatever it says
     */
    public static Printed print(List<HostInfo> hosts, List<SessionDetails> sessions, int printLevel, int only) {
        List<HostInfo> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparingInt(HostInfo::number));
        StringBuilder b = new StringBuilder();
        int flags;
        switch (printLevel) {
            case 0, -1 -> {
                for (HostInfo h : sorted) {
                    flat(b, h);
                }
                return sorted.isEmpty() ? Printed.error(IscsiError.NO_OBJS_FOUND, "No iSCSI hosts.") : Printed.out(b.toString());
            }
            case 4 -> flags = SessionText.SCSI_DEVS | SessionText.ISCSI_PARAMS | SessionText.ISCSI_STATE | SessionText.IFACE;
            case 3 -> flags = SessionText.ISCSI_PARAMS | SessionText.ISCSI_STATE | SessionText.IFACE;
            case 2 -> flags = SessionText.ISCSI_STATE | SessionText.IFACE;
            case 1 -> flags = 0;
            default -> {
                return Printed.error(IscsiError.INVAL, "Invalid info level " + printLevel + ". Try 0 - 4.");
            }
        }
        int found = 0;
        for (HostInfo h : sorted) {
            if (only >= 0 && h.number() != only) {
                continue;
            }
            tree(b, h, sessions, hosts, flags);
            found++;
        }
        return found == 0 ? Printed.error(IscsiError.NO_OBJS_FOUND, "No iSCSI hosts.") : Printed.out(b.toString());
    }

    /** {@code tcp: [1] 127.0.0.1,[<empty>],<empty> iqn...}. */
    static void flat(StringBuilder b, HostInfo h) {
        b.append(Words.orEmpty(h.transport())).append(": [").append(h.number()).append("] ");
        b.append(h.ipAddress().isEmpty() ? Words.EMPTY : Words.bracketed(h.ipAddress())).append(',');
        b.append('[').append(Words.orEmpty(h.hwAddress())).append("],");
        b.append(Words.orEmpty(h.netdev())).append(' ').append(Words.orEmpty(h.initiatorName())).append('\n');
    }

    private static void tree(StringBuilder b, HostInfo h, List<SessionDetails> sessions, List<HostInfo> hosts, int flags) {
        b.append("Host Number: ").append(h.number()).append('\n');
        b.append("\tState: running\n");
        b.append("\tTransport: ").append(Words.orEmpty(h.transport())).append('\n');
        b.append("\tInitiatorname: ").append(Words.orEmpty(h.initiatorName())).append('\n');
        b.append("\tIPaddress: ").append(h.ipAddress().isEmpty() ? Words.EMPTY : Words.bracketed(h.ipAddress())).append('\n');
        b.append("\tHWaddress: ").append(Words.orEmpty(h.hwAddress())).append('\n');
        b.append("\tNetdev: ").append(Words.orEmpty(h.netdev())).append('\n');
        if (flags == 0) {
            return;
        }
        List<SessionDetails> mine = new ArrayList<>();
        for (SessionDetails s : SessionText.sorted(sessions)) {
            if (s.hostNumber() == h.number()) {
                mine.add(s);
            }
        }
        if (mine.isEmpty()) {
            return;
        }
        b.append("\t*********\n\tSessions:\n\t*********\n");
        SessionText.tree(b, mine, hosts, "\t", flags, false);
    }
}

package org.kiscsi.mgmt.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.SessionInfo;

/**
 * {@code iscsiadm -m session [-r sid] [-P 0..3] [-S]} as 2.1.8 prints it (usr/session_info.c
 * {@code session_info_print}, {@code session_info_print_flat}, {@code session_info_print_tree},
 * {@code print_iscsi_state}, {@code print_iscsi_params}, {@code print_scsi_state}), tabs and all.
 * Sessions come in the order open-iscsi reads {@code /sys/class/iscsi_session} (alphasort of
 * {@code session<sid>}: 1, 10, 2).
 */
public final class SessionText {
    /** session_info.h SESSION_INFO_* flags. */
    static final int IFACE = 0x1;
    static final int ISCSI_STATE = 0x2;
    static final int ISCSI_TIM = 0x4;
    static final int ISCSI_AUTH = 0x8;
    static final int ISCSI_PARAMS = 0x10;
    static final int SCSI_DEVS = 0x20;
    static final int HOST_DEVS = 0x40;

    private SessionText() {
    }

    static List<SessionDetails> sorted(List<SessionDetails> sessions) {
        List<SessionDetails> l = new ArrayList<>(sessions);
        l.sort(Comparator.comparing(s -> "session" + s.info().sid()));
        return l;
    }

    /**
     * The session list at {@code printLevel} (-1 when -P was not given); {@code No active sessions.}
     * (21) when there is none.
     *
     * @param hosts the hosts, for the initiator name a session logged in with
     * @param showSecrets {@code -S}: CHAP passwords at -P 2 and 3
     */
    public static Printed list(List<SessionDetails> sessions, List<HostInfo> hosts, int printLevel, boolean showSecrets) {
        if (sessions.isEmpty()) {
            return Printed.error(IscsiError.NO_OBJS_FOUND, "No active sessions.");
        }
        return print(sessions, hosts, printLevel, showSecrets);
    }

    /** {@code session_info_print}: the flat list or the tree; {@code -P} above 3 is refused (7). */
    public static Printed print(List<SessionDetails> sessions, List<HostInfo> hosts, int printLevel, boolean showSecrets) {
        StringBuilder b = new StringBuilder();
        int flags;
        switch (printLevel) {
            case 0, -1 -> {
                for (SessionDetails s : sorted(sessions)) {
                    flat(b, s);
                }
                return Printed.out(b.toString());
            }
            // 2.1.8 prints the kernel's iSCSI transport class version first at -P 3; kiscsi has none
            case 3 -> flags = SCSI_DEVS | HOST_DEVS | ISCSI_PARAMS | ISCSI_TIM | ISCSI_AUTH | ISCSI_STATE | IFACE;
            case 2 -> flags = ISCSI_PARAMS | ISCSI_TIM | ISCSI_AUTH | ISCSI_STATE | IFACE;
            case 1 -> flags = ISCSI_STATE | IFACE;
            default -> {
                return Printed.error(IscsiError.INVAL, "Invalid info level " + printLevel + ". Try 0 - 3.");
            }
        }
        tree(b, sorted(sessions), hosts, "", flags, showSecrets);
        return Printed.out(b.toString());
    }

    /** {@code tcp: [1] 127.0.0.1:3260,1 iqn... (non-flash)}. */
    static void flat(StringBuilder b, SessionDetails s) {
        SessionInfo i = s.info();
        b.append(transport(s)).append(": [").append(i.sid()).append("] ")
                .append(Words.bracketed(i.node().portal().address())).append(':').append(i.node().portal().port())
                .append(',').append(tpgt(i)).append(' ').append(i.node().target().value()).append(" (non-flash)\n");
    }

    static String transport(SessionDetails s) {
        List<ConnectionInfo> c = s.info().connections();
        String t = c.isEmpty() ? "" : c.get(0).transport();
        return t == null || t.isEmpty() ? s.iface().transportName() : t;
    }

    /** The TPGT the target returned at login, else the record's. */
    static int tpgt(SessionInfo i) {
        String t = i.negotiated().getOrDefault("TargetPortalGroupTag", "");
        if (!t.isEmpty()) {
            try {
                return Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                // fall back to the record's
            }
        }
        return i.node().portal().tpgt();
    }

    /** {@code session_info_print_tree}. */
    static void tree(StringBuilder b, List<SessionDetails> sessions, List<HostInfo> hosts, String prefix, int flags,
            boolean showSecrets) {
        SessionDetails prev = null;
        for (SessionDetails cur : sessions) {
            SessionInfo i = cur.info();
            if (prev == null || !prev.info().node().target().equals(i.node().target())) {
                b.append(prefix).append("Target: ").append(i.node().target().value()).append(" (non-flash)\n");
                prev = null;
            }
            Endpoint current = current(i);
            if (prev != null && current.equals(current(prev.info()))) {
                b.append('\n'); // 2.1.8 prints an empty line for a second session on the same portal
            } else {
                b.append(prefix).append("\tCurrent Portal: ").append(Words.bracketed(current.address())).append(':')
                        .append(current.port()).append(',').append(tpgt(i)).append('\n');
                b.append(prefix).append("\tPersistent Portal: ").append(Words.bracketed(i.node().portal().address()))
                        .append(':').append(i.node().portal().port()).append(',').append(tpgt(i)).append('\n');
            }
            String p = prefix + "\t\t";
            if ((flags & IFACE) != 0) {
                b.append(p).append("**********\n").append(p).append("Interface:\n").append(p).append("**********\n");
                iface(b, cur, hosts, p);
            }
            if ((flags & ISCSI_STATE) != 0) {
                b.append(p).append("SID: ").append(i.sid()).append('\n');
                ConnectionInfo lead = i.connections().isEmpty() ? null : i.connections().get(0);
                b.append(p).append("iSCSI Connection State: ").append(StateWords.connection(lead == null ? null : lead.state())).append('\n');
                b.append(p).append("iSCSI Session State: ").append(StateWords.session(i.state())).append('\n');
                b.append(p).append("Internal iscsid Session State: ").append(StateWords.internal(i)).append('\n');
            }
            if ((flags & ISCSI_TIM) != 0) {
                timeouts(b, cur.record(), p);
            }
            if ((flags & ISCSI_AUTH) != 0) {
                chap(b, cur.record(), p, showSecrets);
            }
            if ((flags & ISCSI_PARAMS) != 0) {
                params(b, i, p);
            }
            if ((flags & (SCSI_DEVS | HOST_DEVS)) != 0) {
                LunText.devices(b, cur, p, flags);
            }
            prev = cur;
        }
    }

    /** usr/iface.c {@code iface_print} over the session's iface as libopeniscsiusr reads it ("default" for unbound). */
    private static void iface(StringBuilder b, SessionDetails s, List<HostInfo> hosts, String p) {
        Map<String, String> v = s.iface().values().asMap();
        String iname = v.getOrDefault(NodeKeys.IFACE_INITIATORNAME, "");
        Optional<HostInfo> host = hosts.stream().filter(h -> h.number() == s.hostNumber()).findFirst();
        if (iname.isEmpty() && host.isPresent()) {
            iname = host.get().initiatorName();
        }
        String ip = s.info().connections().isEmpty() ? "" : Endpoint.parse(s.info().connections().get(0).localAddress())
                .map(Endpoint::address).orElse("");
        if (ip.isEmpty()) {
            ip = "default";
        }
        b.append(p).append("Iface Name: ").append(Words.orEmpty(s.iface().name())).append('\n');
        b.append(p).append("Iface Transport: ").append(Words.orEmpty(transport(s))).append('\n');
        b.append(p).append("Iface Initiatorname: ").append(Words.orEmpty(iname)).append('\n');
        b.append(p).append("Iface IPaddress: ").append(ip.indexOf('.') >= 0 || ip.equals("default") ? ip : "[" + ip + "]").append('\n');
        b.append(p).append("Iface HWaddress: ").append(orDefault(v.get("iface.hwaddress"))).append('\n');
        b.append(p).append("Iface Netdev: ").append(orDefault(v.get("iface.net_ifacename"))).append('\n');
    }

    private static String orDefault(String v) {
        return v == null || v.isEmpty() ? "default" : v;
    }

    private static String recordValue(Optional<NodeRecord> r, String key) {
        return r.map(rec -> rec.values().get(key, RecordSchema.NODE.defaultOf(key).orElse("")))
                .orElse("");
    }

    /** The Timeouts block, from the session's node record (open-iscsi reads the kernel's copy of the same values). */
    private static void timeouts(StringBuilder b, Optional<NodeRecord> r, String p) {
        b.append(p).append("*********\n").append(p).append("Timeouts:\n").append(p).append("*********\n");
        b.append(p).append("Recovery Timeout: ").append(Words.orEmpty(recordValue(r, NodeKeys.REPLACEMENT_TIMEOUT))).append('\n');
        b.append(p).append("Target Reset Timeout: ").append(Words.orEmpty(recordValue(r, NodeKeys.TGT_RESET_TIMEOUT))).append('\n');
        b.append(p).append("LUN Reset Timeout: ").append(Words.orEmpty(recordValue(r, NodeKeys.LU_RESET_TIMEOUT))).append('\n');
        b.append(p).append("Abort Timeout: ").append(Words.orEmpty(recordValue(r, NodeKeys.ABORT_TIMEOUT))).append('\n');
    }

    /** The CHAP block: passwords masked unless {@code -S}; 2.1.8 labels the shown password_in "password:", and so does this. */
    private static void chap(StringBuilder b, Optional<NodeRecord> r, String p, boolean showSecrets) {
        b.append(p).append("*****\n").append(p).append("CHAP:\n").append(p).append("*****\n");
        b.append(p).append("username: ").append(Words.orEmpty(recordValue(r, NodeKeys.USERNAME))).append('\n');
        b.append(p).append("password: ").append(showSecrets ? Words.orEmpty(recordValue(r, NodeKeys.PASSWORD)) : Words.MASK).append('\n');
        b.append(p).append("username_in: ").append(Words.orEmpty(recordValue(r, NodeKeys.USERNAME_IN))).append('\n');
        b.append(p).append(showSecrets ? "password: " : "password_in: ")
                .append(showSecrets ? Words.orEmpty(recordValue(r, NodeKeys.PASSWORD_IN)) : Words.MASK).append('\n');
    }

    /** {@code print_iscsi_params}: each negotiated value the session has, in 2.1.8's order. */
    private static void params(StringBuilder b, SessionInfo i, String p) {
        b.append(p).append("************************\n").append(p).append("Negotiated iSCSI params:\n")
                .append(p).append("************************\n");
        Map<String, String> conn = i.connections().isEmpty() ? Map.of() : i.connections().get(0).negotiated();
        Map<String, String> sess = i.negotiated();
        digest(b, p, "HeaderDigest", conn.get("HeaderDigest"));
        digest(b, p, "DataDigest", conn.get("DataDigest"));
        line(b, p, "MaxRecvDataSegmentLength", conn.get("MaxRecvDataSegmentLength"));
        line(b, p, "MaxXmitDataSegmentLength", conn.get("MaxXmitDataSegmentLength"));
        line(b, p, "FirstBurstLength", sess.get("FirstBurstLength"));
        line(b, p, "MaxBurstLength", sess.get("MaxBurstLength"));
        line(b, p, "ImmediateData", sess.get("ImmediateData"));
        line(b, p, "InitialR2T", sess.get("InitialR2T"));
        line(b, p, "MaxOutstandingR2T", sess.get("MaxOutstandingR2T"));
    }

    private static void digest(StringBuilder b, String p, String key, String v) {
        if (v != null && !v.isEmpty()) {
            b.append(p).append(key).append(": ").append(v.toUpperCase(java.util.Locale.ROOT).startsWith("CRC32C") ? "CRC32C" : "None")
                    .append('\n');
        }
    }

    private static void line(StringBuilder b, String p, String key, String v) {
        if (v != null && !v.isEmpty()) {
            b.append(p).append(key).append(": ").append(v).append('\n');
        }
    }

    /** Where the leading connection is connected (after a redirection), else the record's portal. */
    static Endpoint current(SessionInfo i) {
        if (!i.connections().isEmpty()) {
            Optional<Endpoint> e = Endpoint.parse(i.connections().get(0).remoteAddress());
            if (e.isPresent()) {
                return e.get();
            }
        }
        return new Endpoint(i.node().portal().address(), i.node().portal().port());
    }
}

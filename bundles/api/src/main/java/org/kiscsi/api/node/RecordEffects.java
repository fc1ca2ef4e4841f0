package org.kiscsi.api.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.node.KeyEffect.Kind;

/**
 * What kiscsi does with each key of each kind of record ({@link RecordSchema}'s keys and kiscsi's
 * own in {@link NodeKeys}): acted on (and where), identity, kept for open-iscsi (and why it has no
 * effect), or refused unless default (and why). The daemon warns about and refuses values from this
 * table, the shell completes from it, and the README's list of kept keys is checked against it.
 */
public final class RecordEffects {
    private static final String OFFLOAD = "offload iface setting: kiscsi drives no iSCSI offload hardware "
            + "(open-iscsi applies it to an HBA's firmware only, not to tcp ifaces)";
    private static final String CHAP = "CHAP at login (engine LoginAuth, auth-chap)";
    private static final String OFFERED = "offered at login (protocol SessionOffers)";

    private static final Map<RecordSchema, Map<String, KeyEffect>> TABLE = build();

    private RecordEffects() {
    }

    /** Every key of {@code kind} (open-iscsi's in show order, then kiscsi's own) with what kiscsi does with it. */
    public static Map<String, KeyEffect> of(RecordSchema kind) {
        return TABLE.get(kind);
    }

    /** What kiscsi does with {@code key} in a record of {@code kind}; empty for a key the table does not know. */
    public static Optional<KeyEffect> find(RecordSchema kind, String key) {
        return Optional.ofNullable(TABLE.get(kind).get(key));
    }

    /**
     * Whether {@code value} is the key's default, i.e. asks for nothing: empty, {@code <empty>}, or
     * equal to the schema default (numerically for numbers). kiscsi's own keys count as default always.
     */
    public static boolean isDefault(RecordSchema kind, String key, String value) {
        String v = value == null ? "" : value.trim();
        String d = kind.defaultOf(key).orElse("");
        if (v.isEmpty() || v.equals("<empty>") || v.equals(d)) {
            return true;
        }
        try {
            return !d.isEmpty() && Long.parseLong(v) == Long.parseLong(d);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The keys of {@code values} of that kind kiscsi keeps without effect that hold a value other than the default. */
    public static List<KeyEffect> keptWithValue(RecordSchema kind, RecordValues values) {
        return withValue(kind, values, Kind.KEPT_FOR_OPEN_ISCSI);
    }

    /** The keys of {@code values} of that kind kiscsi refuses that hold a value other than the default. */
    public static List<KeyEffect> refusedWithValue(RecordSchema kind, RecordValues values) {
        return withValue(kind, values, Kind.REFUSED_UNLESS_DEFAULT);
    }

    private static List<KeyEffect> withValue(RecordSchema kind, RecordValues values, Kind which) {
        List<KeyEffect> out = new ArrayList<>();
        for (KeyEffect e : TABLE.get(kind).values()) {
            if (e.kind() == which && !isDefault(kind, e.key(), values.get(e.key(), ""))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Map<RecordSchema, Map<String, KeyEffect>> build() {
        Map<String, KeyEffect> iface = new LinkedHashMap<>();
        identity(iface, "iface.iscsi_ifacename", "the iface the record goes through");
        refused(iface, "iface.net_ifacename", "a user-space socket cannot be bound to a network device "
                + "(SO_BINDTODEVICE); set iface.ipaddress to that device's address instead");
        acted(iface, "iface.ipaddress", "the source address each connection binds to (engine SessionSettings, transport connect)");
        kept(iface, "iface.prefix_len", OFFLOAD);
        refused(iface, "iface.hwaddress", "binding the iface to the NIC with this MAC address needs SO_BINDTODEVICE, "
                + "which a user-space socket cannot do; set iface.ipaddress to that NIC's address instead");
        acted(iface, "iface.transport_name", "the transport the session runs on (engine SessionSettings; a transport "
                + "that is not installed fails the login with 12)");
        acted(iface, "iface.initiatorname", "the InitiatorName sent at login instead of the host's (engine SessionOpener)");
        for (String k : List.of("state", "vlan_id", "vlan_priority", "vlan_state", "iface_num", "mtu", "port", "bootproto",
                "subnet_mask", "gateway", "dhcp_alt_client_id_state", "dhcp_alt_client_id", "dhcp_dns", "dhcp_learn_iqn",
                "dhcp_req_vendor_id_state", "dhcp_vendor_id_state", "dhcp_vendor_id", "dhcp_slp_da", "fragmentation",
                "gratuitous_arp", "incoming_forwarding", "tos_state", "tos", "ttl", "delayed_ack", "tcp_nagle", "tcp_wsf_state",
                "tcp_wsf", "tcp_timer_scale", "tcp_timestamp", "redirect", "def_task_mgmt_timeout", "header_digest",
                "data_digest", "immediate_data", "initial_r2t", "data_seq_inorder", "data_pdu_inorder", "erl",
                "max_receive_data_len", "first_burst_len", "max_outstanding_r2t", "max_burst_len", "chap_auth", "bidi_chap",
                "strict_login_compliance", "discovery_auth", "discovery_logout")) {
            kept(iface, "iface." + k, OFFLOAD);
        }

        Map<String, KeyEffect> node = new LinkedHashMap<>();
        identity(node, NodeKeys.NAME, "the target");
        identity(node, NodeKeys.TPGT, "the portal group the target returned");
        acted(node, NodeKeys.STARTUP, "automatic records are logged in when the daemon starts (iscsid SessionStartup); "
                + "-L/-U select by it (iscsid LoginOps)");
        acted(node, NodeKeys.LEADING_LOGIN, "-L logs in to one leading record per iface first (iscsid StartupLogin)");
        node.putAll(iface);
        identity(node, NodeKeys.DISCOVERY_ADDRESS, "the discovery record that found the node (deleted with it: DiscoveryApplier)");
        identity(node, NodeKeys.DISCOVERY_PORT, "the discovery record that found the node (deleted with it: DiscoveryApplier)");
        identity(node, NodeKeys.DISCOVERY_TYPE, "the discovery record that found the node (deleted with it: DiscoveryApplier)");
        kept(node, "node.session.initial_cmdsn", "kiscsi picks a session's first CmdSN itself, as RFC 7143 lets the "
                + "initiator (open-iscsi hands the key to its kernel module)");
        acted(node, NodeKeys.INITIAL_LOGIN_RETRY_MAX, "login attempts before a first login fails (engine SessionOpener)");
        kept(node, "node.session.xmit_thread_priority", "no kernel transmit thread in user space");
        acted(node, NodeKeys.CMDS_MAX, "commands in flight per session (engine SessionSettings)");
        kept(node, NodeKeys.QUEUE_DEPTH, "the kernel SCSI device's queue depth; kiscsi's LUN users queue for themselves, "
                + "bounded by node.session.cmds_max");
        acted(node, NodeKeys.NR_SESSIONS, "sessions opened per login (engine SessionOpener)");
        acted(node, NodeKeys.AUTH_METHOD, CHAP);
        acted(node, NodeKeys.USERNAME, CHAP);
        acted(node, NodeKeys.PASSWORD, CHAP);
        acted(node, NodeKeys.USERNAME_IN, CHAP);
        acted(node, NodeKeys.PASSWORD_IN, CHAP);
        acted(node, NodeKeys.CHAP_ALGS, CHAP);
        acted(node, NodeKeys.REPLACEMENT_TIMEOUT, "how long commands are held while the session recovers (engine Recovery)");
        acted(node, NodeKeys.ABORT_TIMEOUT, "the wait for an ABORT TASK answer (engine TaskManagement)");
        acted(node, NodeKeys.LU_RESET_TIMEOUT, "the wait for a LOGICAL UNIT RESET answer (engine TaskManagement)");
        acted(node, NodeKeys.TGT_RESET_TIMEOUT, "the wait for a TARGET WARM RESET answer (engine TaskManagement)");
        kept(node, "node.session.err_timeo.host_reset_timeout", "no SCSI host to reset: kiscsi's recovery ends with a "
                + "target reset and a new login (a host reset is the kernel SCSI error handler's last step)");
        kept(node, NodeKeys.FAST_ABORT, "open-iscsi hands it to its kernel module (how R2Ts of aborted tasks are "
                + "answered); kiscsi's task management does not read it");
        acted(node, NodeKeys.INITIAL_R2T, OFFERED);
        acted(node, NodeKeys.IMMEDIATE_DATA, OFFERED);
        acted(node, NodeKeys.FIRST_BURST_LENGTH, OFFERED);
        acted(node, NodeKeys.MAX_BURST_LENGTH, OFFERED);
        acted(node, NodeKeys.DEFAULT_TIME2RETAIN, OFFERED);
        acted(node, NodeKeys.DEFAULT_TIME2WAIT, OFFERED);
        kept(node, NodeKeys.MAX_CONNECTIONS, "open-iscsi 2.1.8 and kiscsi both offer MaxConnections=1");
        kept(node, "node.session.iscsi.MaxOutstandingR2T", "kiscsi offers MaxOutstandingR2T=1 (one R2T per task at a time)");
        kept(node, NodeKeys.ERL, "open-iscsi 2.1.8 and kiscsi both offer ErrorRecoveryLevel=0");
        acted(node, "node.session.scan", "auto scans the LUNs after login, manual leaves it to -R (iscsid LunScans)");
        acted(node, NodeKeys.REOPEN_MAX, "reconnection attempts before a recovering session is given up (engine Recovery)");
        identity(node, NodeKeys.ADDRESS, "the portal's address");
        identity(node, NodeKeys.PORT, "the portal's port");
        acted(node, NodeKeys.CONN_STARTUP, "-L/-U select by it as by node.startup (iscsid LoginOps)");
        kept(node, "node.conn[0].tcp.window_size", "the TCP transport sizes the socket buffers of all its connections "
                + "(its receiveBufferSize setting), not per record");
        kept(node, "node.conn[0].tcp.type_of_service", "open-iscsi 2.1.8 does not act on it either");
        acted(node, NodeKeys.LOGOUT_TIMEOUT, "the wait for a Logout answer (engine SessionSettings)");
        acted(node, NodeKeys.LOGIN_TIMEOUT, "the wait for a connection and a login (engine SessionOpener, LoginDriver)");
        kept(node, "node.conn[0].timeo.auth_timeout", "kiscsi bounds a normal session's whole login, CHAP included, by "
                + "node.conn[0].timeo.login_timeout (a discovery record's auth_timeout is acted on)");
        acted(node, NodeKeys.NOOP_OUT_INTERVAL, "NOP-Out ping period (engine SessionImpl)");
        acted(node, NodeKeys.NOOP_OUT_TIMEOUT, "how long a NOP-Out may go unanswered (engine SessionImpl)");
        acted(node, NodeKeys.MAX_XMIT_DATA_SEGMENT_LENGTH, "caps the data segments sent (protocol SessionOffers)");
        acted(node, NodeKeys.MAX_RECV_DATA_SEGMENT_LENGTH, OFFERED);
        acted(node, NodeKeys.HEADER_DIGEST, OFFERED);
        acted(node, NodeKeys.DATA_DIGEST, OFFERED);
        kept(node, "node.conn[0].iscsi.IFMarker", "markers are gone from RFC 7143; open-iscsi 2.1.8 and kiscsi both offer No");
        kept(node, "node.conn[0].iscsi.OFMarker", "markers are gone from RFC 7143; open-iscsi 2.1.8 and kiscsi both offer No");
        acted(node, NodeKeys.AUTH_STRICT, "kiscsi's own: refuses weak CHAP set-ups (engine LoginAuth)");
        acted(node, NodeKeys.SCSI_CMD_TIMEOUT, "kiscsi's own: how long a SCSI command may take (engine SessionSettings)");

        String st = "discovery.sendtargets.";
        String discoveryChap = "CHAP of the discovery session (engine SessionOpener, LoginAuth)";
        Map<String, KeyEffect> sendTargets = new LinkedHashMap<>();
        kept(sendTargets, "discovery.startup", "open-iscsi 2.1.8 does not act on it either; discovery.<type>.use_discoveryd "
                + "asks for polling");
        identity(sendTargets, "discovery.type", "the kind of discovery record");
        identity(sendTargets, st + "address", "the discovery portal's address");
        identity(sendTargets, st + "port", "the discovery portal's port");
        for (String k : List.of("authmethod", "username", "password", "username_in", "password_in")) {
            acted(sendTargets, st + "auth." + k, discoveryChap);
        }
        acted(sendTargets, NodeKeys.CHAP_ALGS, discoveryChap);
        acted(sendTargets, st + "timeo.login_timeout", "the wait for the discovery login (engine SessionOpener)");
        acted(sendTargets, st + "use_discoveryd", "polled by the daemon (iscsid DiscoveryDaemon)");
        acted(sendTargets, st + "discoveryd_poll_inval", "seconds between polls (iscsid DiscoveryDaemon)");
        acted(sendTargets, st + "reopen_max", "new discovery sessions after a dropped one (discovery-sendtargets)");
        acted(sendTargets, st + "timeo.auth_timeout", "the wait for each security-stage answer (engine LoginDriver)");
        acted(sendTargets, st + "timeo.active_timeout", "the wait for each Text answer (engine SessionSettings)");
        acted(sendTargets, st + "iscsi.MaxRecvDataSegmentLength", OFFERED);
        acted(sendTargets, st + "auth.strict", "kiscsi's own: refuses weak CHAP set-ups (engine LoginAuth)");

        Map<String, KeyEffect> isns = new LinkedHashMap<>();
        isns.put("discovery.startup", sendTargets.get("discovery.startup"));
        identity(isns, "discovery.type", "the kind of discovery record");
        identity(isns, st + "address", "the iSNS server's address");
        identity(isns, st + "port", "the iSNS server's port");
        acted(isns, "discovery.isns.use_discoveryd", "polled by the daemon (iscsid DiscoveryDaemon)");
        acted(isns, "discovery.isns.discoveryd_poll_inval", "seconds between polls (iscsid DiscoveryDaemon)");

        Map<RecordSchema, Map<String, KeyEffect>> m = new EnumMap<>(RecordSchema.class);
        m.put(RecordSchema.NODE, ordered(RecordSchema.NODE, node));
        m.put(RecordSchema.IFACE, Collections.unmodifiableMap(iface));
        m.put(RecordSchema.SENDTARGETS, ordered(RecordSchema.SENDTARGETS, sendTargets));
        m.put(RecordSchema.ISNS, Collections.unmodifiableMap(isns));
        return m;
    }

    /** The schema's keys in show order, then kiscsi's own. */
    private static Map<String, KeyEffect> ordered(RecordSchema kind, Map<String, KeyEffect> effects) {
        Map<String, KeyEffect> out = new LinkedHashMap<>();
        for (RecordSchema.Field f : kind.fields()) {
            if (effects.containsKey(f.key())) {
                out.put(f.key(), effects.get(f.key()));
            }
        }
        effects.forEach(out::putIfAbsent);
        return Collections.unmodifiableMap(out);
    }

    private static void acted(Map<String, KeyEffect> m, String key, String where) {
        m.put(key, new KeyEffect(key, Kind.ACTED_ON, where));
    }

    private static void identity(Map<String, KeyEffect> m, String key, String what) {
        m.put(key, new KeyEffect(key, Kind.IDENTITY, what));
    }

    private static void kept(Map<String, KeyEffect> m, String key, String why) {
        m.put(key, new KeyEffect(key, Kind.KEPT_FOR_OPEN_ISCSI, why));
    }

    private static void refused(Map<String, KeyEffect> m, String key, String why) {
        m.put(key, new KeyEffect(key, Kind.REFUSED_UNLESS_DEFAULT, why));
    }
}

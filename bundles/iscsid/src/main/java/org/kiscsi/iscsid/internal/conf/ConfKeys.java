package org.kiscsi.iscsid.internal.conf;

import static org.kiscsi.iscsid.internal.conf.ValueRule.any;
import static org.kiscsi.iscsid.internal.conf.ValueRule.intRange;
import static org.kiscsi.iscsid.internal.conf.ValueRule.listOf;
import static org.kiscsi.iscsid.internal.conf.ValueRule.oneOf;
import static org.kiscsi.iscsid.internal.conf.ValueRule.yesNo;
import static org.kiscsi.iscsid.internal.conf.ValueRule.zeroOrRange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.KeyEffect;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordEffects;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.iscsid.internal.conf.ConfKey.Use;

/**
 * The keys iscsid.conf may hold: those of open-iscsi 2.1.8 (its shipped iscsid.conf and the record
 * keys it takes defaults for) plus kiscsi's own. Any other key is unknown and warned about.
 */
public final class ConfKeys {
    /** RFC 7143 data segment and burst lengths: 512 to 2^24 - 1. */
    /** Older open-iscsi's iSNS server keys, which 2.1.8 does not read. */
    public static final String ISNS_ADDRESS = "isns.address";
    public static final String ISNS_PORT = "isns.port";
    private static final long MIN_LENGTH = 512;
    private static final long MAX_LENGTH = 16_777_215;
    private static final long SECONDS = Integer.MAX_VALUE;

    private static final Map<String, ConfKey> KEYS = build();

    private ConfKeys() {
    }

    public static Optional<ConfKey> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    public static Map<String, ConfKey> all() {
        return KEYS;
    }

    private static Map<String, ConfKey> build() {
        Map<String, ConfKey> m = new LinkedHashMap<>();
        // startup
        node(m, NodeKeys.STARTUP, oneOf("manual", "automatic", "onboot"));
        node(m, NodeKeys.CONN_STARTUP, oneOf("manual", "automatic", "onboot"));
        node(m, NodeKeys.LEADING_LOGIN, yesNo());
        // CHAP for normal sessions
        node(m, NodeKeys.AUTH_METHOD, oneOf("None", "CHAP"));
        node(m, NodeKeys.CHAP_ALGS, listOf("MD5", "SHA1", "SHA256", "SHA3-256"));
        node(m, NodeKeys.USERNAME, any());
        node(m, NodeKeys.PASSWORD, any());
        node(m, NodeKeys.USERNAME_IN, any());
        node(m, NodeKeys.PASSWORD_IN, any());
        // timeouts, seconds
        for (String k : new String[] {NodeKeys.REPLACEMENT_TIMEOUT, NodeKeys.LOGIN_TIMEOUT, NodeKeys.LOGOUT_TIMEOUT,
                NodeKeys.NOOP_OUT_INTERVAL, NodeKeys.NOOP_OUT_TIMEOUT, NodeKeys.ABORT_TIMEOUT, NodeKeys.LU_RESET_TIMEOUT,
                NodeKeys.TGT_RESET_TIMEOUT}) {
            node(m, k, intRange(0, SECONDS));
        }
        node(m, NodeKeys.SCSI_CMD_TIMEOUT, intRange(1, SECONDS));
        node(m, NodeKeys.INITIAL_LOGIN_RETRY_MAX, intRange(0, Integer.MAX_VALUE));
        node(m, NodeKeys.REOPEN_MAX, intRange(0, Integer.MAX_VALUE));
        // queue and session shape
        node(m, NodeKeys.CMDS_MAX, intRange(2, 2048));
        node(m, NodeKeys.NR_SESSIONS, intRange(1, 65535));
        // whether kiscsi acts on these is RecordEffects' to say (node())
        node(m, NodeKeys.QUEUE_DEPTH, intRange(1, 1024));
        node(m, "node.session.scan", oneOf("auto", "manual"));
        // operational text keys offered at login
        node(m, NodeKeys.INITIAL_R2T, yesNo());
        node(m, NodeKeys.IMMEDIATE_DATA, yesNo());
        node(m, NodeKeys.FAST_ABORT, yesNo());
        node(m, NodeKeys.FIRST_BURST_LENGTH, intRange(MIN_LENGTH, MAX_LENGTH));
        node(m, NodeKeys.MAX_BURST_LENGTH, intRange(MIN_LENGTH, MAX_LENGTH));
        node(m, NodeKeys.DEFAULT_TIME2WAIT, intRange(0, 3600));
        node(m, NodeKeys.DEFAULT_TIME2RETAIN, intRange(0, 3600));
        node(m, NodeKeys.MAX_CONNECTIONS, intRange(1, 65535));
        node(m, NodeKeys.ERL, intRange(0, 2));
        node(m, "node.session.iscsi.MaxOutstandingR2T", intRange(1, 65535));
        node(m, NodeKeys.MAX_RECV_DATA_SEGMENT_LENGTH, intRange(MIN_LENGTH, MAX_LENGTH));
        node(m, NodeKeys.MAX_XMIT_DATA_SEGMENT_LENGTH, zeroOrRange(MIN_LENGTH, MAX_LENGTH));
        node(m, NodeKeys.HEADER_DIGEST, listOf("None", "CRC32C"));
        node(m, NodeKeys.DATA_DIGEST, listOf("None", "CRC32C"));

        // SendTargets discovery records
        String st = "discovery.sendtargets.";
        discovery(m, DiscoveryType.SENDTARGETS, st + "auth.authmethod", oneOf("None", "CHAP"));
        for (String k : new String[] {"auth.username", "auth.password", "auth.username_in", "auth.password_in"}) {
            discovery(m, DiscoveryType.SENDTARGETS, st + k, any());
        }
        discovery(m, DiscoveryType.SENDTARGETS, st + "iscsi.MaxRecvDataSegmentLength", intRange(MIN_LENGTH, MAX_LENGTH));
        for (String k : new String[] {"timeo.login_timeout", "timeo.auth_timeout", "timeo.active_timeout"}) {
            discovery(m, DiscoveryType.SENDTARGETS, st + k, intRange(0, SECONDS));
        }
        discovery(m, DiscoveryType.SENDTARGETS, st + "reopen_max", intRange(0, Integer.MAX_VALUE));
        discovery(m, DiscoveryType.SENDTARGETS, st + "use_discoveryd", yesNo());
        discovery(m, DiscoveryType.SENDTARGETS, st + "discoveryd_poll_inval", intRange(-1, SECONDS));
        // iSNS discovery records
        discovery(m, DiscoveryType.ISNS, "discovery.isns.use_discoveryd", yesNo());
        discovery(m, DiscoveryType.ISNS, "discovery.isns.discoveryd_poll_inval", intRange(-1, SECONDS));

        // record keys open-iscsi's tools read: written into new records, acted on or not as RecordEffects says
        node(m, "node.session.xmit_thread_priority", intRange(-20, 20));
        node(m, "node.session.err_timeo.host_reset_timeout", intRange(0, SECONDS));
        node(m, "node.conn[0].tcp.window_size", intRange(0, Integer.MAX_VALUE));
        node(m, "node.conn[0].tcp.type_of_service", intRange(0, 255));

        // iscsid's own, of no use in kiscsi: systemd start-up, iscsid's IPC authorisation (kiscsi checks
        // the peer's uid itself)
        for (String k : new String[] {"iscsid.startup", "iscsid.safe_logout", "iscsid.ipc_auth_uid"}) {
            m.put(k, new ConfKey(k, Use.UNUSED, null, any()));
        }
        // open-iscsi before 2.0-873 read its iSNS server from these; 2.1.8 reads neither (an iSNS server
        // is a discovery record since): refused, saying so
        for (String k : new String[] {ISNS_ADDRESS, ISNS_PORT}) {
            m.put(k, new ConfKey(k, Use.REFUSED, null, any()));
        }
        return Collections.unmodifiableMap(m);
    }

    /** A default for new node records; one the records table says kiscsi keeps only for open-iscsi is said so. */
    private static void node(Map<String, ConfKey> m, String name, ValueRule rule) {
        boolean kept = RecordEffects.find(RecordSchema.NODE, name)
                .map(e -> e.kind() == KeyEffect.Kind.KEPT_FOR_OPEN_ISCSI).orElse(false);
        m.put(name, new ConfKey(name, kept ? Use.NODE_NOT_ACTED_ON : Use.NODE, null, rule));
    }

    private static void discovery(Map<String, ConfKey> m, DiscoveryType type, String name, ValueRule rule) {
        m.put(name, new ConfKey(name, Use.DISCOVERY, type, rule));
    }
}

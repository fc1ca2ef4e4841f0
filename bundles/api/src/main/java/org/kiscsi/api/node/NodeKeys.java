package org.kiscsi.api.node;

/**
 * Dotted record keys kiscsi reads. Most are open-iscsi's (usr/idbm_fields.h) and mean what they
 * mean there; keys that are kiscsi's own say so.
 */
public final class NodeKeys {
    private NodeKeys() {
    }

    // identity of a node record
    public static final String NAME = "node.name";
    public static final String TPGT = "node.tpgt";
    public static final String ADDRESS = "node.conn[0].address";
    public static final String PORT = "node.conn[0].port";
    public static final String IFACE_NAME = "iface.iscsi_ifacename";

    // how the record came to be
    public static final String DISCOVERY_ADDRESS = "node.discovery_address";
    public static final String DISCOVERY_PORT = "node.discovery_port";
    public static final String DISCOVERY_TYPE = "node.discovery_type";

    // iface
    public static final String TRANSPORT_NAME = "iface.transport_name";
    public static final String IFACE_IPADDRESS = "iface.ipaddress";
    public static final String IFACE_INITIATORNAME = "iface.initiatorname";

    public static final String STARTUP = "node.startup";
    public static final String LEADING_LOGIN = "node.leading_login";
    public static final String CONN_STARTUP = "node.conn[0].startup";

    // authentication
    public static final String AUTH_METHOD = "node.session.auth.authmethod";
    public static final String CHAP_ALGS = "node.session.auth.chap_algs";
    public static final String USERNAME = "node.session.auth.username";
    public static final String PASSWORD = "node.session.auth.password";
    public static final String USERNAME_IN = "node.session.auth.username_in";
    public static final String PASSWORD_IN = "node.session.auth.password_in";
    /**
     * kiscsi's own key (open-iscsi has none): {@code Yes} refuses weak CHAP set-ups that are only
     * warned about otherwise (secrets shorter than 12 bytes, a target answering AuthMethod=None).
     * Default {@code No}. Discovery records carry it as {@code discovery.sendtargets.auth.strict}.
     */
    public static final String AUTH_STRICT = "node.session.auth.strict";

    // timeouts (seconds)
    public static final String LOGIN_TIMEOUT = "node.conn[0].timeo.login_timeout";
    public static final String LOGOUT_TIMEOUT = "node.conn[0].timeo.logout_timeout";
    public static final String NOOP_OUT_INTERVAL = "node.conn[0].timeo.noop_out_interval";
    public static final String NOOP_OUT_TIMEOUT = "node.conn[0].timeo.noop_out_timeout";
    public static final String REPLACEMENT_TIMEOUT = "node.session.timeo.replacement_timeout";
    public static final String ABORT_TIMEOUT = "node.session.err_timeo.abort_timeout";
    public static final String LU_RESET_TIMEOUT = "node.session.err_timeo.lu_reset_timeout";
    public static final String TGT_RESET_TIMEOUT = "node.session.err_timeo.tgt_reset_timeout";
    public static final String INITIAL_LOGIN_RETRY_MAX = "node.session.initial_login_retry_max";
    /** Reconnection attempts of a session in recovery before it is given up (0: keep trying). */
    public static final String REOPEN_MAX = "node.session.reopen_max";
    /** kiscsi's own: seconds a SCSI command may take before the session escalates (default 30). */
    public static final String SCSI_CMD_TIMEOUT = "node.session.scsi.cmd_timeout";

    // session shape
    public static final String CMDS_MAX = "node.session.cmds_max";
    public static final String QUEUE_DEPTH = "node.session.queue_depth";
    public static final String NR_SESSIONS = "node.session.nr_sessions";

    // operational text keys offered at login
    public static final String INITIAL_R2T = "node.session.iscsi.InitialR2T";
    public static final String IMMEDIATE_DATA = "node.session.iscsi.ImmediateData";
    public static final String FIRST_BURST_LENGTH = "node.session.iscsi.FirstBurstLength";
    public static final String MAX_BURST_LENGTH = "node.session.iscsi.MaxBurstLength";
    public static final String DEFAULT_TIME2WAIT = "node.session.iscsi.DefaultTime2Wait";
    public static final String DEFAULT_TIME2RETAIN = "node.session.iscsi.DefaultTime2Retain";
    public static final String MAX_CONNECTIONS = "node.session.iscsi.MaxConnections";
    public static final String ERL = "node.session.iscsi.ERL";
    public static final String FAST_ABORT = "node.session.iscsi.FastAbort";
    public static final String MAX_RECV_DATA_SEGMENT_LENGTH = "node.conn[0].iscsi.MaxRecvDataSegmentLength";
    public static final String MAX_XMIT_DATA_SEGMENT_LENGTH = "node.conn[0].iscsi.MaxXmitDataSegmentLength";
    public static final String HEADER_DIGEST = "node.conn[0].iscsi.HeaderDigest";
    public static final String DATA_DIGEST = "node.conn[0].iscsi.DataDigest";
}

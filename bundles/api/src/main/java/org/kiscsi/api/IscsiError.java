package org.kiscsi.api;

/**
 * Error classes, numbered as open-iscsi's {@code iscsiadm} exit codes (include/iscsi_err.h), so that
 * scripts written for open-iscsi read kiscsi's exit codes the same way.
 */
public enum IscsiError {
    OK(0, "success"),
    GENERIC(1, "generic error"),
    SESS_NOT_FOUND(2, "session not found"),
    NOMEM(3, "out of memory"),
    TRANS(4, "transport error"),
    LOGIN(5, "login failure"),
    IDBM(6, "node database error"),
    INVAL(7, "invalid argument"),
    TRANS_TIMEOUT(8, "connection timed out"),
    INTERNAL(9, "internal error"),
    LOGOUT(10, "logout failure"),
    PDU_TIMEOUT(11, "PDU timed out"),
    TRANS_NOT_FOUND(12, "transport not found"),
    ACCESS(13, "permission denied"),
    TRANS_CAPS(14, "transport capability mismatch"),
    SESS_EXISTS(15, "session already exists"),
    INVALID_MGMT_REQ(16, "invalid management request"),
    ISNS_UNAVAILABLE(17, "iSNS service not supported"),
    ISCSID_COMM(18, "daemon communication error"),
    FATAL_LOGIN(19, "non-retryable login failure"),
    ISCSID_NOTCONN(20, "could not connect to the daemon"),
    NO_OBJS_FOUND(21, "no records found"),
    SYSFS_LOOKUP(22, "lookup failure"),
    HOST_NOT_FOUND(23, "host not found"),
    LOGIN_AUTH_FAILED(24, "authentication failed"),
    ISNS_QUERY(25, "iSNS query failed"),
    ISNS_REG_FAILED(26, "iSNS registration failed"),
    OP_NOT_SUPP(27, "operation not supported"),
    BUSY(28, "device or resource busy"),
    AGAIN(29, "operation failed, try again"),
    UNKNOWN_DISCOVERY_TYPE(30, "unknown discovery type"),
    CHILD_TERMINATED(31, "child terminated"),
    SESSION_NOT_CONNECTED(32, "session not connected"),
    REQ_TIMEDOUT(33, "request timed out");

    private final int code;
    private final String text;

    IscsiError(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The iscsiadm exit code. */
    public int code() {
        return code;
    }

    /** A short description, as iscsiadm prints it. */
    public String text() {
        return text;
    }

    /** The error with that exit code, or {@link #GENERIC} for a code kiscsi does not know. */
    public static IscsiError ofCode(int code) {
        for (IscsiError e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return GENERIC;
    }
}

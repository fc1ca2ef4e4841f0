package org.kiscsi.mgmt.text;

import org.kiscsi.api.IscsiError;

/** open-iscsi's fixed words: the marker for an empty value, its error strings, its prefixes. */
public final class Words {
    /** usr/iscsi_settings.h UNKNOWN_VALUE: what iscsiadm prints for an empty value. */
    public static final String EMPTY = "<empty>";
    /** What iscsiadm prints instead of a secret. */
    public static final String MASK = "********";
    /** The record format version on {@code # BEGIN RECORD} lines. */
    public static final String RECORD_VERSION = "2.1.8";

    /** usr/iscsi_err.c iscsi_err_msgs[], by exit code: what {@code iscsi_err_to_str} returns. */
    private static final String[] ERR_TEXT = {
        "",
        "unknown error",
        "session not found",
        "no available memory",
        "encountered connection failure",
        "encountered iSCSI login failure",
        "encountered iSCSI database failure",
        "invalid parameter",
        "connection timed out",
        "internal error",
        "encountered iSCSI logout failure",
        "iSCSI PDU timed out",
        "iSCSI driver not found. Please make sure it is loaded, and retry the operation",
        "daemon access denied",
        "iSCSI driver does not support requested capability.",
        "session exists",
        "Unknown request",
        "iSNS service not supported",
        "could not communicate to iscsid",
        "encountered non-retryable iSCSI login failure",
        "could not connect to iscsid",
        "no objects found",
        "sysfs lookup failure",
        "host not found",
        "iSCSI login failed due to authorization failure",
        "iSNS query failed",
        "iSNS registration failed",
        "operation not supported",
        "device or resource in use",
        "operation failed but retry may succeed",
        "unknown discovery type",
        "child process terminated",
        "target likely not connected",
        "iscsid request timed out",
    };

    private Words() {
    }

    /** {@code iscsi_err_to_str(code)}. */
    public static String errText(int code) {
        return code >= 0 && code < ERR_TEXT.length ? ERR_TEXT[code] : IscsiError.ofCode(code).text();
    }

    public static String errText(IscsiError e) {
        return errText(e.code());
    }

    /** A line as iscsiadm's log_error and log_warning write it: {@code iscsiadm: message}. */
    public static String errorLine(String message) {
        return "iscsiadm: " + message + "\n";
    }

    /** {@code iscsiadm: warning: <w>} lines, one per distinct warning of the outcomes, in order. */
    public static String warningLines(java.util.Collection<? extends org.kiscsi.api.manage.Outcome<?>> outcomes) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        outcomes.forEach(o -> seen.addAll(o.warnings()));
        StringBuilder b = new StringBuilder();
        seen.forEach(w -> b.append("iscsiadm: warning: ").append(w).append('\n'));
        return b.toString();
    }

    /** The value, or {@link #EMPTY} when empty. */
    public static String orEmpty(String value) {
        return value == null || value.isEmpty() ? EMPTY : value;
    }

    /** An address as iscsiadm writes it beside a port: bracketed unless it has a dot (open-iscsi's strchr test). */
    public static String bracketed(String address) {
        return address.indexOf('.') >= 0 ? address : "[" + address + "]";
    }

    /** An integer as C's {@code %u} prints a 32-bit value ({@code -1} is 4294967295). */
    public static String unsigned(int value) {
        return Integer.toUnsignedString(value);
    }
}

package org.kiscsi.mgmt.text;

import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;

/**
 * kiscsi's session, connection and recovery states in the words of {@code iscsiadm -m session -P 1}
 * (usr/session_info.c {@code print_iscsi_state}). open-iscsi takes the three lines from three places:
 * iscsid's connection state, the kernel's session state (sysfs) and iscsid's recovery stage. kiscsi
 * has no kernel session; its own session state stands in for it.
 *
 * <pre>
 * iSCSI Connection State          ConnectionState (leading connection; RFC 7143 initiator states, as iscsid's)
 *   FREE                            FREE
 *   TRANSPORT WAIT                  XPT_WAIT
 *   IN LOGIN                        IN_LOGIN
 *   LOGGED IN                       LOGGED_IN
 *   IN LOGOUT                       IN_LOGOUT
 *   LOGOUT REQUESTED                LOGOUT_REQUESTED
 *   CLEANUP WAIT                    CLEANUP_WAIT
 *   Unknown                         no connection
 *
 * iSCSI Session State             SessionState (the kernel's iscsi_session_state names)
 *   LOGGED_IN                       LOGGED_IN, LOGGING_OUT (the kernel session stays up until the logout ends)
 *   FAILED                          RECOVERING (the kernel marks the session failed while iscsid reconnects)
 *   FREE                            LOGGING_IN, CLOSED
 *
 * Internal iscsid Session State   RecoveryStage and SessionState (iscsid's R_STAGE_*)
 *   NO CHANGE                       NONE, while logging in or logged in
 *   REOPEN                          WAITING, REINSTATING, COMMANDS_FAILED (iscsid keeps reopening)
 *   CLEANUP                         ABANDONED, or the session LOGGING_OUT or CLOSED
 *   REDIRECT                        never shown: kiscsi follows a redirection within the login
 * </pre>
 */
public final class StateWords {
    private StateWords() {
    }

    public static String connection(ConnectionState s) {
        if (s == null) {
            return "Unknown";
        }
        return switch (s) {
            case FREE -> "FREE";
            case XPT_WAIT -> "TRANSPORT WAIT";
            case IN_LOGIN -> "IN LOGIN";
            case LOGGED_IN -> "LOGGED IN";
            case IN_LOGOUT -> "IN LOGOUT";
            case LOGOUT_REQUESTED -> "LOGOUT REQUESTED";
            case CLEANUP_WAIT -> "CLEANUP WAIT";
        };
    }

    public static String session(SessionState s) {
        return switch (s) {
            case LOGGED_IN, LOGGING_OUT -> "LOGGED_IN";
            case RECOVERING -> "FAILED";
            case LOGGING_IN, CLOSED -> "FREE";
        };
    }

    public static String internal(SessionInfo s) {
        if (s.recovery() == RecoveryStage.ABANDONED || s.state() == SessionState.LOGGING_OUT
                || s.state() == SessionState.CLOSED) {
            return "CLEANUP";
        }
        return switch (s.recovery()) {
            case WAITING, REINSTATING, COMMANDS_FAILED -> "REOPEN";
            default -> "NO CHANGE";
        };
    }
}

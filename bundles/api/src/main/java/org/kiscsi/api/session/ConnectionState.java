package org.kiscsi.api.session;

/** The initiator side of RFC 7143's connection state machine (section 8.1.3). */
public enum ConnectionState {
    /** S1: no connection. */
    FREE,
    /** S2: waiting for the transport connection to be set up. */
    XPT_WAIT,
    /** S4: login in progress. */
    IN_LOGIN,
    /** S5: logged in, full feature phase. */
    LOGGED_IN,
    /** S6: logout sent, waiting for the response. */
    IN_LOGOUT,
    /** S7: the target asked for a logout (async message). */
    LOGOUT_REQUESTED,
    /** S8: connection cleaned up after a failure, waiting for recovery. */
    CLEANUP_WAIT
}

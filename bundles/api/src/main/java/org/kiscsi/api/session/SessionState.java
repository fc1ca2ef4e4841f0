package org.kiscsi.api.session;

/** Where a session is in its life. */
public enum SessionState {
    /** Leading connection is connecting or in the login phase. */
    LOGGING_IN,
    /** Full feature phase: commands flow. */
    LOGGED_IN,
    /** A connection failed; the session is being recovered (see {@link RecoveryStage}). */
    RECOVERING,
    /** Logout requested or under way. */
    LOGGING_OUT,
    /** Gone: logged out, failed for good, or never logged in. */
    CLOSED
}

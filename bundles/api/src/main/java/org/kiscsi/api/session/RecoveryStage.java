package org.kiscsi.api.session;

/** How far recovery of a failed session has got. */
public enum RecoveryStage {
    /** Nothing to recover. */
    NONE,
    /** Waiting DefaultTime2Wait before reconnecting. */
    WAITING,
    /**
     * Reconnecting and logging in again with the same ISID and TSIH 0: at error recovery level 0 the
     * target then reinstates the I_T nexus and ends the old session's tasks (a non-zero TSIH would ask
     * to add a connection to the old session, which an ERL0 target refuses).
     */
    REINSTATING,
    /** Replacement timeout expired: outstanding commands failed, still trying to come back. */
    COMMANDS_FAILED,
    /** Given up after {@code node.session.reopen_max} attempts: the session is closed (its last state change says so). */
    ABANDONED
}

package org.kiscsi.api.session;

/** How far recovery of a failed session has got. */
public enum RecoveryStage {
    /** Nothing to recover. */
    NONE,
    /** Waiting DefaultTime2Wait before reconnecting. */
    WAITING,
    /** Reconnecting and logging in again with the same ISID and TSIH (reinstatement). */
    REINSTATING,
    /** Replacement timeout expired: outstanding commands failed, still trying to come back. */
    COMMANDS_FAILED,
    /** Given up: the session is closed. */
    ABANDONED
}

package org.kiscsi.spi.transport;

/** Why a task's buffers are given back (see {@link TransportConnection#taskEnded}). */
public enum TaskEnd {
    /** Its final response arrived (SCSI Response, or Data-In with status). */
    COMPLETED,
    /** Task management or the target ended it without a response (abort, LUN reset, timeout). */
    ABORTED,
    /** Its connection failed or closed while it was in flight; it may be sent again on another. */
    CONNECTION_LOST
}

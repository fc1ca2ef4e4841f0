package org.kiscsi.api.export;

/** Where an export is, following its session. */
public enum ExportState {
    /** No logged-in session of its record: requests wait (at most the record's replacement_timeout). */
    WAITING,
    /** A session is there; its LUN is being opened. */
    OPENING,
    /** Serving: requests go to the LUN. */
    READY,
    /** Its session is recovering: requests wait for it, failing after the record's replacement_timeout. */
    RECOVERING,
    /** The LUN cannot be served (the session has no such LUN, or it came back with another size); {@link ExportInfo#detail()} says why. */
    FAILED
}

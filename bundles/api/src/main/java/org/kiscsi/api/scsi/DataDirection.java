package org.kiscsi.api.scsi;

/** Which way a SCSI command's data goes, seen from the initiator. */
public enum DataDirection {
    NONE,
    /** Target to initiator (READ). */
    IN,
    /** Initiator to target (WRITE). */
    OUT,
    /** Both (e.g. COMPARE AND WRITE returns nothing but XDWRITEREAD does). */
    BIDIRECTIONAL
}

package org.kiscsi.api.session;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears what happens to sessions. Every method has a default, so listeners implement only what they
 * need. Called from kiscsi's own threads: implementations must return quickly and never block.
 */
@ConsumerType
public interface SessionListener {
    /** A session changed state. */
    default void stateChanged(SessionInfo session, SessionState previous) {
    }

    /**
     * The target reported a change that needs a rescan: REPORTED LUNS DATA HAS CHANGED or
     * CAPACITY DATA HAS CHANGED on {@code lun}. {@code reason} is that ASC/ASCQ's text as SPC-4 words
     * it ("REPORTED LUNS DATA HAS CHANGED", "CAPACITY DATA HAS CHANGED").
     */
    default void rescanNeeded(long sid, long lun, String reason) {
    }
}

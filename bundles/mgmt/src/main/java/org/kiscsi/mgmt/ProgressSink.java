package org.kiscsi.mgmt;

import java.time.Duration;

/**
 * Where a handler announces when its answer is due: the socket server sends a progress frame
 * (protocol 2) and moves its own deadline for the answer to the same figure.
 */
@FunctionalInterface
public interface ProgressSink {
    ProgressSink NONE = (due, note) -> { };

    void dueWithin(Duration due, String note);
}

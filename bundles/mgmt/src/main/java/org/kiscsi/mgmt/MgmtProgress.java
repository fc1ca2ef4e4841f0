package org.kiscsi.mgmt;

import java.time.Duration;
import java.util.Objects;

/**
 * A progress frame (protocol 2): the daemon is working on the request and its answer is due within
 * {@code dueWithin} from now. The client's wait follows it; the daemon answers REQ_TIMEDOUT itself
 * when that time has passed.
 *
 * @param dueWithin at most {@link MgmtProtocol#MAX_DUE}
 * @param note what the daemon is doing ("login of 3 records"), for messages
 */
public record MgmtProgress(Duration dueWithin, String note) {
    public MgmtProgress {
        Objects.requireNonNull(note, "note");
        if (dueWithin.isNegative() || dueWithin.compareTo(MgmtProtocol.MAX_DUE) > 0) {
            throw new IllegalArgumentException("due within " + dueWithin + " is outside 0.." + MgmtProtocol.MAX_DUE);
        }
    }
}

package org.kiscsi.iscsid.internal.mgmt;

import org.kiscsi.mgmt.MgmtResponse;

/**
 * A handler's answer and what to do once it has been sent (a stop must answer before it closes the
 * socket it answers on).
 */
public record Reply(MgmtResponse response, Runnable afterSent) {
    public static Reply of(MgmtResponse response) {
        return new Reply(response, () -> { });
    }
}

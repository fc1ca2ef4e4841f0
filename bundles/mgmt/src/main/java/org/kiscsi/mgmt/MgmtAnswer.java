package org.kiscsi.mgmt;

import java.util.Objects;

/**
 * A handler's answer and what to do once it has been sent (a stop must answer before it closes the
 * socket it answers on).
 */
public record MgmtAnswer(MgmtResponse response, Runnable afterSent) {
    public MgmtAnswer {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(afterSent, "afterSent");
    }

    public static MgmtAnswer of(MgmtResponse response) {
        return new MgmtAnswer(response, () -> { });
    }
}

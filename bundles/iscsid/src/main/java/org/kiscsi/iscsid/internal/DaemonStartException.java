package org.kiscsi.iscsid.internal;

import org.kiscsi.api.IscsiError;

/** A start-up step failed for good: the daemon does not run; {@link #error()} is the exit status. */
public final class DaemonStartException extends Exception {
    private static final long serialVersionUID = 1L;

    private final IscsiError error;

    public DaemonStartException(IscsiError error, String message) {
        super(message);
        this.error = error;
    }

    public DaemonStartException(IscsiError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public IscsiError error() {
        return error;
    }
}

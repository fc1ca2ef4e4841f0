package org.kiscsi.iscsiadm.internal;

import org.kiscsi.api.IscsiError;

/** What ends an iscsiadm run with a message and an exit code (iscsiadm's ISCSI_ERR_* numbers). */
public final class ClientException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ClientException(IscsiError error, String message) {
        this(error.code(), message);
    }

    public ClientException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

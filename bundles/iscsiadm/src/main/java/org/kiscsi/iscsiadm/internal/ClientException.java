package org.kiscsi.iscsiadm.internal;

import org.kiscsi.api.IscsiError;

/** What ends an iscsiadm run with a message and an exit code (iscsiadm's ISCSI_ERR_* numbers). */
public final class ClientException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final boolean tryHelp;

    public ClientException(IscsiError error, String message) {
        this(error.code(), message, false);
    }

    public ClientException(int exitCode, String message) {
        this(exitCode, message, false);
    }

    private ClientException(int exitCode, String message, boolean tryHelp) {
        super(message);
        this.exitCode = exitCode;
        this.tryHelp = tryHelp;
    }

    /** A bad argument after which 2.1.8 prints "Try `iscsiadm --help' for more information." ({@code usage(ISCSI_ERR_INVAL)}). */
    static ClientException usage(String message) {
        return new ClientException(IscsiError.INVAL.code(), message, true);
    }

    public int exitCode() {
        return exitCode;
    }

    boolean tryHelp() {
        return tryHelp;
    }
}

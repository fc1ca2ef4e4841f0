package org.kiscsi.discovery.isns.internal;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** The server answered with a non-zero iSNS status code (RFC 4171 section 6.4). */
public final class IsnsStatusException extends IscsiException {
    private static final long serialVersionUID = 1L;
    public static final int NO_SUCH_ENTRY = 9;
    public static final int INTERNAL_ERROR = 11;
    public static final int ESI_NOT_AVAILABLE = 21;

    private final int status;

    public IsnsStatusException(IscsiError error, String message, int status) {
        super(error, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

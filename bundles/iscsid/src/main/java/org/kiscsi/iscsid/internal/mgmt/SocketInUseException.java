package org.kiscsi.iscsid.internal.mgmt;

import java.io.IOException;

/** The socket path belongs to a live daemon (or to something that is not a stale socket): left alone. */
public final class SocketInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    public SocketInUseException(String message) {
        super(message);
    }
}

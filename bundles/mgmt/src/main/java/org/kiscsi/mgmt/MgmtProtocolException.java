package org.kiscsi.mgmt;

import java.io.IOException;

/** A frame that is not a valid management frame; the message says what is wrong. */
public class MgmtProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public MgmtProtocolException(String message) {
        super(message);
    }
}

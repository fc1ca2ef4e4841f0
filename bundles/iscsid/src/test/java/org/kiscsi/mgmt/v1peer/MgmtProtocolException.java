// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

import java.io.IOException;

/** A frame that is not a valid management frame; the message says what is wrong. */
public class MgmtProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public MgmtProtocolException(String message) {
        super(message);
    }
}

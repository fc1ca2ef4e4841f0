package org.kiscsi.protocol.login;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** The target refused the login: Status-Class and Status-Detail with their meaning. */
public class LoginException extends IscsiException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public LoginException(IscsiError error, int status, String message) {
        super(error, message);
        this.status = status;
    }

    /** Status-Class &lt;&lt; 8 | Status-Detail, e.g. 0x0201. */
    public int status() {
        return status;
    }

    /** Whether trying again later may succeed (target errors), as opposed to initiator errors. */
    public boolean retryable() {
        return (status >> 8) == 3;
    }
}

package org.kiscsi.spi.auth;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** Authentication failed; the message names the key or step, never a secret. */
public class AuthenticationException extends IscsiException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(IscsiError.LOGIN_AUTH_FAILED, message);
    }
}

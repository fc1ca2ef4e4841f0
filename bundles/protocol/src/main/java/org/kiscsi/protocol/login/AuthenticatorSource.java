package org.kiscsi.protocol.login;

import org.kiscsi.spi.auth.Authenticator;

/** Gives the login the authenticator for the AuthMethod the target chose. */
@FunctionalInterface
public interface AuthenticatorSource {
    /** An authenticator for {@code method}, or null when none is installed. */
    Authenticator create(String method);

    /** For logins that offer only AuthMethod=None. */
    AuthenticatorSource NONE = method -> null;
}

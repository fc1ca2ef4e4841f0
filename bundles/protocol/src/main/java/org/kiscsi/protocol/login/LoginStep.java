package org.kiscsi.protocol.login;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.pdu.LoginRequest;

/** What the login state machine wants next. */
public sealed interface LoginStep {
    /** Send this request and feed the response back. */
    record Send(LoginRequest request) implements LoginStep {
    }

    /** Logged in. */
    record Done(LoginResult result) implements LoginStep {
    }

    /** The target sent the initiator elsewhere: close this connection and log in at {@code portal}. */
    record Redirect(Portal portal, boolean permanent) implements LoginStep {
    }
}

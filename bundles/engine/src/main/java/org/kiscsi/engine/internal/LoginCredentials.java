package org.kiscsi.engine.internal;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.spi.auth.AuthCredentials;

/**
 * The credentials one login hands to its authenticators, each made from the record for that
 * authenticator alone, and wiped together when the login ends (logged in, refused, timed out). A
 * later login (a retry, a recovery) reads the record again and makes its own.
 */
final class LoginCredentials {
    private final NodeRecord record;
    private final List<AuthCredentials> issued = new ArrayList<>();
    private boolean ended;

    LoginCredentials(NodeRecord record) {
        this.record = record;
    }

    /** Fresh credentials from the record, to be wiped when the login ends. */
    synchronized AuthCredentials issue() {
        AuthCredentials c = SessionSettings.credentials(record);
        if (ended) {
            c.wipe(); // an authenticator asked for after the login ended gets nothing to use
        } else {
            issued.add(c);
        }
        return c;
    }

    /** The login has ended: every secret handed out is overwritten. */
    synchronized void wipe() {
        ended = true;
        issued.forEach(AuthCredentials::wipe);
        issued.clear();
    }
}

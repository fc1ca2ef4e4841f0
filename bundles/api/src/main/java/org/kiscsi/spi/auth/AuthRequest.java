package org.kiscsi.spi.auth;

import java.util.List;
import java.util.Objects;

import org.kiscsi.api.Portal;
import org.kiscsi.api.session.SessionType;

/**
 * Everything an authenticator may need for one login. The engine makes the {@link #credentials()}
 * for this login alone and {@linkplain AuthCredentials#wipe() wipes} them once the login has ended,
 * successfully or not: an authenticator reads its secrets during the login and keeps none after it.
 * {@link #toString()} names the login and the user, never a secret.
 *
 * @param initiatorName this initiator's iSCSI name
 * @param targetName the target's name, empty for a discovery session
 * @param portal where the login goes (for messages)
 * @param sessionType normal or discovery
 * @param credentials names and secrets from the node or discovery record
 * @param algorithms CHAP_A preference, most preferred first, as {@code node.session.auth.chap_algs}
 *        lists them (SHA3-256, SHA256, SHA1, MD5)
 * @param strict {@code node.session.auth.strict}: refuse weak set-ups the authenticator would
 *        otherwise only warn about
 */
public record AuthRequest(String initiatorName, String targetName, Portal portal, SessionType sessionType,
        AuthCredentials credentials, List<String> algorithms, boolean strict) {
    public AuthRequest {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(credentials, "credentials");
        algorithms = List.copyOf(algorithms);
    }

    @Override
    public String toString() {
        return "AuthRequest[initiator=" + initiatorName + ", target=" + targetName + ", portal=" + portal.hostPort()
                + ", " + sessionType + ", " + credentials + ", algorithms=" + algorithms + ", strict=" + strict + "]";
    }

    /** A request that is not strict (the 1.0 shape of this record). */
    public AuthRequest(String initiatorName, String targetName, Portal portal, SessionType sessionType,
            AuthCredentials credentials, List<String> algorithms) {
        this(initiatorName, targetName, portal, sessionType, credentials, algorithms, false);
    }

    /** The same request with another algorithm list (a second login the authenticator asked for). */
    public AuthRequest withAlgorithms(List<String> other) {
        return new AuthRequest(initiatorName, targetName, portal, sessionType, credentials, other, strict);
    }

    /** For messages: who logs in where. */
    public String where() {
        return (sessionType == SessionType.DISCOVERY || targetName == null || targetName.isEmpty() ? "discovery portal"
                : targetName) + " at " + portal.hostPort();
    }
}

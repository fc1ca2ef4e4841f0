package org.kiscsi.protocol.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.kiscsi.api.session.SessionType;
import org.kiscsi.protocol.text.KeyDefinition;

/**
 * Everything one connection's login needs, fixed before it starts.
 *
 * @param initiatorName InitiatorName
 * @param initiatorAlias InitiatorAlias, or null
 * @param targetName TargetName; null for a discovery session
 * @param sessionType normal or discovery
 * @param isid the ISID (48 bits)
 * @param tsih 0 for a new session, the old TSIH to reinstate or add a connection
 * @param cid connection ID
 * @param itt initiator task tag of the login requests
 * @param cmdSn CmdSN carried by every login request
 * @param authMethods AuthMethod values to offer, in preference order ("None" alone when no authentication)
 * @param offers operational keys to offer (see {@link org.kiscsi.protocol.text.SessionOffers})
 * @param maxXmitCap the record's MaxXmitDataSegmentLength (0: none)
 * @param peer the portal, for messages
 * @param extensionKeys definitions of keys beyond RFC 7143's catalogue among {@code offers} (a
 *        transport's own); their outcome is {@link LoginResult#extensionKeys()}
 */
public record LoginParameters(String initiatorName, String initiatorAlias, String targetName, SessionType sessionType,
        long isid, int tsih, int cid, int itt, int cmdSn, List<String> authMethods, Map<String, String> offers,
        int maxXmitCap, String peer, List<KeyDefinition> extensionKeys) {
    public LoginParameters {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(peer, "peer");
        if (sessionType == SessionType.NORMAL && targetName == null) {
            throw new IllegalArgumentException("a normal session needs a TargetName");
        }
        authMethods = List.copyOf(authMethods);
        if (authMethods.isEmpty()) {
            throw new IllegalArgumentException("no AuthMethod to offer");
        }
        offers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(offers));
        extensionKeys = List.copyOf(extensionKeys);
    }

    /** Parameters offering RFC 7143's keys only. */
    public LoginParameters(String initiatorName, String initiatorAlias, String targetName, SessionType sessionType,
            long isid, int tsih, int cid, int itt, int cmdSn, List<String> authMethods, Map<String, String> offers,
            int maxXmitCap, String peer) {
        this(initiatorName, initiatorAlias, targetName, sessionType, isid, tsih, cid, itt, cmdSn, authMethods, offers,
                maxXmitCap, peer, List.of());
    }
}

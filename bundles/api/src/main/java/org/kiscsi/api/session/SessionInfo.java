package org.kiscsi.api.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.Isid;
import org.kiscsi.api.node.NodeKey;

/**
 * A snapshot of a session, as {@code iscsiadm -m session -P 3} shows one.
 *
 * @param sid kiscsi's session id, unique while the daemon (or library instance) runs
 * @param node the record the session was opened for
 * @param type normal or discovery
 * @param isid initiator session id
 * @param tsih target session identifying handle (0 until logged in)
 * @param state where the session is
 * @param recovery how far recovery has got when {@code state} is RECOVERING
 * @param connections its connections
 * @param negotiated session-scope keys as negotiated (InitialR2T, MaxBurstLength, ...)
 * @param targetAlias TargetAlias as the target declared it, or empty
 * @param since when the session entered its current state
 */
public record SessionInfo(long sid, NodeKey node, SessionType type, Isid isid, int tsih, SessionState state,
        RecoveryStage recovery, List<ConnectionInfo> connections, Map<String, String> negotiated,
        String targetAlias, Instant since) {
    public SessionInfo {
        connections = List.copyOf(connections);
        negotiated = Map.copyOf(negotiated);
    }
}

package org.kiscsi.api.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
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
    /** The key under which {@link #negotiated()} carries the TPGT the target returned at login. */
    public static final String TARGET_PORTAL_GROUP_TAG = "TargetPortalGroupTag";

    public SessionInfo {
        connections = List.copyOf(connections);
        negotiated = Map.copyOf(negotiated);
    }

    /**
     * The TargetPortalGroupTag the target returned at login, whatever the record's
     * {@code node.tpgt} says (a record made without one has {@link Portal#TPGT_UNKNOWN}); the
     * record's TPGT when the target returned none. @since 1.3
     */
    public int targetPortalGroupTag() {
        String t = negotiated.get(TARGET_PORTAL_GROUP_TAG);
        if (t != null && !t.isBlank()) {
            try {
                int v = Integer.parseInt(t.trim());
                if (v >= 0 && v <= 65535) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // not a number: fall back to the record's
            }
        }
        return node.portal().tpgt();
    }

    /**
     * The record's portal with the TPGT the target returned, as {@code iscsiadm -m session} lists a
     * session ({@code 127.0.0.1:3260,1}). @since 1.3
     */
    public Portal portal() {
        return node.portal().withTpgt(targetPortalGroupTag());
    }
}

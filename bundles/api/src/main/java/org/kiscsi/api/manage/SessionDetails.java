package org.kiscsi.api.manage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;

/**
 * Everything {@code iscsiadm -m session -P 0..3} prints about a session.
 *
 * @param info the engine's snapshot (state, connections, negotiated keys, the TPGT the target returned)
 * @param record the node record the session runs on, as stored now (timeouts, CHAP user names);
 *        empty when the record was deleted after login
 * @param iface the iface record the session went through (the built-in one for {@code default})
 * @param hostNumber the host (transport instance) the session belongs to, see {@link HostInfo}
 * @param luns what the last scan found, in LUN order; empty before the first scan
 */
public record SessionDetails(SessionInfo info, Optional<NodeRecord> record, IfaceRecord iface, int hostNumber,
        List<LunSummary> luns) {
    public SessionDetails {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(iface, "iface");
        luns = List.copyOf(luns);
    }
}

package org.kiscsi.mgmt;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;

/** The rows and arguments of protocol 1, as the daemon of version 1 wrote them and its client reads them. */
final class V1Rows {
    private V1Rows() {
    }

    /** A session: sid, target, portal, iface, transport, type, state, tsih. */
    static Map<String, String> session(SessionInfo s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sid", Long.toString(s.sid()));
        m.put("target", s.node().target().value());
        m.put("portal", s.node().portal().toString());
        m.put("iface", s.node().iface());
        m.put("transport", s.connections().isEmpty() ? "tcp" : s.connections().get(0).transport());
        m.put("type", s.type().keyValue());
        m.put("state", s.state().name());
        m.put("tsih", Integer.toString(s.tsih()));
        return m;
    }

    /** A record whose sessions were all present already (status 15 and the message, in the row). */
    static Map<String, String> present(NodeKey k, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("target", k.target().value());
        m.put("portal", k.portal().toString());
        m.put("iface", k.iface());
        m.put("status", Integer.toString(IscsiError.SESS_EXISTS.code()));
        m.put("message", message);
        return m;
    }

    static NodeKey key(Map<String, String> row) {
        return new NodeKey(IscsiName.of(row.get("target")), Portal.parse(row.get("portal")), row.get("iface"));
    }

    /**
     * A session as protocol 1 tells it: sid, node, type, state, TSIH. What it does not carry is
     * left empty: ISID 0, no connections, no negotiated keys, no alias, since the epoch.
     */
    static SessionInfo sessionInfo(Map<String, String> row) {
        SessionType type = "Discovery".equals(row.get("type")) ? SessionType.DISCOVERY : SessionType.NORMAL;
        return new SessionInfo(Long.parseLong(row.get("sid")), key(row), type, Isid.of(0),
                Integer.parseInt(row.getOrDefault("tsih", "0")), SessionState.valueOf(row.get("state")),
                RecoveryStage.NONE, List.of(), Map.of(), "", Instant.EPOCH);
    }

    /** Protocol 1's login and logout arguments as a selector: {@code target}, {@code portal}, {@code iface}. */
    static NodeSelector selector(MgmtRequest r) {
        return new NodeSelector(Optional.ofNullable(r.arg("target")).map(IscsiName::of),
                Optional.ofNullable(r.arg("portal")).map(Portal::parse),
                r.arg("iface") == null ? List.of() : List.of(r.arg("iface")));
    }

    /** The selector as protocol 1's arguments, or why it cannot be said there. */
    static Map<String, String> args(NodeSelector s, String op) {
        if (s.target().isEmpty() || s.ifaces().size() > 1) {
            throw new IllegalArgumentException(op + " over management protocol 1 needs a target and at most one iface");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("target", s.target().get().value());
        s.portal().ifPresent(p -> m.put("portal", p.hasTpgt() ? p.toString() : p.hostPort()));
        s.ifaces().forEach(i -> m.put("iface", i));
        return m;
    }
}

package org.kiscsi.api.manage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;

/**
 * Which node records an operation acts on, as iscsiadm's {@code -T}, {@code -p} and {@code -I}
 * select them: each part left out matches everything. A portal given without a TPGT matches the
 * record's whatever its TPGT; {@code ifaces} is the list of {@code -I} values (any of them).
 */
public record NodeSelector(Optional<IscsiName> target, Optional<Portal> portal, List<String> ifaces) {
    public static final NodeSelector ALL = new NodeSelector(Optional.empty(), Optional.empty(), List.of());

    public NodeSelector {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(portal, "portal");
        ifaces = List.copyOf(ifaces);
    }

    public static NodeSelector of(NodeKey key) {
        return new NodeSelector(Optional.of(key.target()), Optional.of(key.portal()), List.of(key.iface()));
    }

    public boolean matches(NodeKey key) {
        if (target.isPresent() && !target.get().equals(key.target())) {
            return false;
        }
        if (portal.isPresent()) {
            Portal p = portal.get();
            if (!(p.hasTpgt() ? p.equals(key.portal()) : p.equals(key.portal().withoutTpgt()))) {
                return false;
            }
        }
        return ifaces.isEmpty() || ifaces.contains(key.iface());
    }

    /** Whether target and portal are both given (what {@code -o new} needs). */
    public boolean isExact() {
        return target.isPresent() && portal.isPresent();
    }
}

package org.kiscsi.api.node;

import java.util.Objects;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;

/**
 * What identifies a node record: the target, the portal (with its TPGT when known) and the iface
 * through which it is reached, as open-iscsi's {@code nodes/<target>/<ip>,<port>,<tpgt>/<iface>}.
 */
public final class NodeKey {
    /** The iface open-iscsi uses when none is named. */
    public static final String DEFAULT_IFACE = "default";

    private final IscsiName target;
    private final Portal portal;
    private final String iface;

    public NodeKey(IscsiName target, Portal portal, String iface) {
        this.target = Objects.requireNonNull(target, "target");
        this.portal = Objects.requireNonNull(portal, "portal");
        this.iface = iface == null || iface.isEmpty() ? DEFAULT_IFACE : iface;
    }

    public IscsiName target() {
        return target;
    }

    public Portal portal() {
        return portal;
    }

    public String iface() {
        return iface;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NodeKey)) {
            return false;
        }
        NodeKey k = (NodeKey) o;
        return target.equals(k.target) && portal.equals(k.portal) && iface.equals(k.iface);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, portal, iface);
    }

    /** {@code portal target [iface]}, as iscsiadm -m node lists records. */
    @Override
    public String toString() {
        return portal + " " + target + (DEFAULT_IFACE.equals(iface) ? "" : " via " + iface);
    }
}

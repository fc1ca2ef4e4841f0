package org.kiscsi.api.discovery;

import java.util.EnumSet;
import java.util.Set;

/** iscsiadm's {@code -o} values for a discovery, as they act on the records it found. */
public enum DiscoveryOp {
    /** Add records for target portals (per iface) not known yet; known ones stay as they are. */
    NEW,
    /**
     * Rewrite the records of returned target portals: kiscsi rewrites only {@code node.discovery_address},
     * {@code node.discovery_port} and {@code node.discovery_type} and keeps every other key (open-iscsi
     * re-applies iscsid.conf and loses the user's settings).
     */
    UPDATE,
    /**
     * Delete the records of this discovery source whose target and portal were not returned (a record
     * returned with another TPGT stays); one a session uses stays, reported as {@code SESS_EXISTS}.
     */
    DELETE,
    /** Write nothing, not even the discovery record: only report what was found. */
    NONPERSISTENT;

    /** What no {@code -o} means: new, update and delete. */
    public static Set<DiscoveryOp> defaults() {
        return EnumSet.of(NEW, UPDATE, DELETE);
    }
}

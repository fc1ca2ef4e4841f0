package org.kiscsi.iscsid.internal.sessions;

import java.util.Objects;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;

/**
 * One session of the re-sync list: its node record and its ISID. A record may have several
 * ({@code node.session.nr_sessions}), each with its own ISID. Lists written before sessions had
 * entries of their own name only the record: those entries have no ISID and stand for the record's
 * sessions until a session of it logs in again.
 *
 * @param node the session's node record
 * @param isid the session's ISID, or null for an entry of an older list
 */
public record ResyncEntry(NodeKey node, Isid isid) {
    public ResyncEntry {
        Objects.requireNonNull(node, "node");
    }

    static ResyncEntry withoutIsid(NodeKey node) {
        return new ResyncEntry(node, null);
    }

    boolean hasIsid() {
        return isid != null;
    }

    /** {@code <target> <portal,tpgt> <iface> <isid-hex>}, or the first three columns of an older list. */
    static ResyncEntry parse(String line) {
        String[] f = line.split("\\s+");
        if (f.length != 3 && f.length != 4) {
            throw new IllegalArgumentException("expected '<target> <portal> <iface> <isid>'");
        }
        NodeKey node = new NodeKey(IscsiName.of(f[0]), Portal.parse(f[1]), f[2]);
        return new ResyncEntry(node, f.length == 4 ? Isid.parse(f[3]) : null);
    }

    String format() {
        String record = node.target().value() + " " + node.portal() + " " + node.iface();
        return isid == null ? record : record + " " + isid;
    }
}

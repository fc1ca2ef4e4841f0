package org.kiscsi.api.export;

import java.util.Objects;

import org.kiscsi.api.node.NodeKey;

/**
 * What an export serves: a LUN of the session logged in for a node record. The record's portal may
 * leave out the TPGT (any matches); its iface is {@code default} when not named.
 *
 * @param name the export's name, as clients ask for it ("" for the default export)
 * @param node the node record whose session the export follows
 * @param lun the LUN of that session
 * @param readOnly writes are refused
 */
public record ExportSpec(String name, NodeKey node, long lun, boolean readOnly) {
    public ExportSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
        if (lun < 0) {
            throw new IllegalArgumentException("export '" + name + "': LUN " + lun + " is negative");
        }
    }

    /** {@code name: LUN 1 of 127.0.0.1:3260 iqn... (read-only)}: how messages name an export. */
    @Override
    public String toString() {
        return "'" + name + "': LUN " + lun + " of " + node + (readOnly ? " (read-only)" : "");
    }
}

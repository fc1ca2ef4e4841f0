package org.kiscsi.api.discovery;

import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.node.NodeKey;

/**
 * What applying a discovery did.
 *
 * @param found every target portal found, one per iface, in the order the target listed them (what
 *        iscsiadm prints as {@code 127.0.0.1:3260,1 iqn...})
 * @param changes what happened to each record written, kept or deleted, in the order acted on
 * @param discoveryRecordWritten whether the discovery record was created or rewritten
 */
public record AppliedDiscovery(List<NodeKey> found, List<NodeChange> changes, boolean discoveryRecordWritten) {
    public AppliedDiscovery {
        found = List.copyOf(found);
        changes = List.copyOf(changes);
    }

    /** The first error among the changes ({@code SESS_EXISTS}, {@code IDBM}), or OK. */
    public IscsiError firstError() {
        return changes.stream().map(NodeChange::error).filter(e -> e != IscsiError.OK).findFirst().orElse(IscsiError.OK);
    }

    public List<NodeChange> changes(NodeChange.Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).toList();
    }
}

package org.kiscsi.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.RecordChange;

/**
 * The {@code -n name -v value} pairs of an update. Karaf's parser collects each option's values
 * apart, so the n-th {@code -n} goes with the n-th {@code -v}, in the order given (iscsiadm applies
 * them in that order); a name without its value, or a value without its name, is refused.
 */
final class RecordPairs {
    private RecordPairs() {
    }

    static List<RecordChange> of(List<String> names, List<String> values) {
        List<String> n = names == null ? List.of() : names;
        List<String> v = values == null ? List.of() : values;
        if (n.size() != v.size()) {
            throw new IscsiException(IscsiError.INVAL, n.size() + " -n name(s) but " + v.size()
                    + " -v value(s): each -n name needs its -v value");
        }
        List<RecordChange> pairs = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            pairs.add(new RecordChange(n.get(i), v.get(i)));
        }
        return pairs;
    }

    /** iscsiadm's {@code verify_node_params}: pairs needed; iface keys belong to the iface commands, but for the transport name. */
    static List<RecordChange> forNode(List<RecordChange> pairs) {
        if (pairs.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "update requires name and value");
        }
        List<RecordChange> changes = new ArrayList<>();
        for (RecordChange c : pairs) {
            if (c.key().startsWith("iface.") && !c.key().equals("iface.transport_name")) {
                throw new IscsiException(IscsiError.INVAL, "Cannot modify " + c.key() + ". Use iface mode to update this value.");
            }
            // as iscsiadm: old tools named the transport node.transport_name
            changes.add(c.key().equals("node.transport_name") ? new RecordChange("iface.transport_name", c.value()) : c);
        }
        return changes;
    }
}

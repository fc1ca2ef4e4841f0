package org.kiscsi.mgmt.text;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;

/**
 * {@code iscsiadm -m iface} as 2.1.8 prints it: the list ({@code iface_print_flat} in usr/iface.c:
 * {@code name transport,hwaddress,ipaddress,net_ifacename,initiatorname}), the {@code -P 1} tree
 * ({@code print_iface_tree} in usr/iscsiadm.c) and the messages of {@code exec_iface_op}.
 */
public final class IfaceText {
    private IfaceText() {
    }

    /** {@code -m iface [-P 0]}. */
    public static Printed list(List<IfaceRecord> ifaces) {
        if (ifaces.isEmpty()) {
            return Printed.error(IscsiError.NO_OBJS_FOUND, "No interfaces found.");
        }
        StringBuilder b = new StringBuilder();
        for (IfaceRecord i : RecordOrder.sortedIfaces(ifaces)) {
            b.append(i.name()).append(' ').append(Words.orEmpty(i.transportName()))
                    .append(',').append(Words.orEmpty(i.values().get("iface.hwaddress", "")))
                    .append(',').append(Words.orEmpty(i.values().get(NodeKeys.IFACE_IPADDRESS, "")))
                    .append(',').append(Words.orEmpty(i.values().get("iface.net_ifacename", "")))
                    .append(',').append(Words.orEmpty(i.values().get(NodeKeys.IFACE_INITIATORNAME, ""))).append('\n');
        }
        return Printed.out(b.toString());
    }

    /**
     * {@code -m iface [-I name] -P 1}: each iface and the node records bound to it. As 2.1.8, nothing
     * at all is printed when there are no node records.
     */
    public static Printed tree(List<IfaceRecord> ifaces, List<NodeRecord> nodes) {
        if (nodes.isEmpty()) {
            return Printed.NOTHING;
        }
        List<NodeRecord> sorted = RecordOrder.sortedNodes(nodes);
        StringBuilder b = new StringBuilder();
        for (IfaceRecord i : RecordOrder.sortedIfaces(ifaces)) {
            List<NodeRecord> bound = new ArrayList<>();
            for (NodeRecord r : sorted) {
                if (r.iface().equals(i.name())) {
                    bound.add(r);
                }
            }
            b.append("Iface: ").append(i.name()).append('\n');
            RecordText.tree(b, bound, "\t", false);
        }
        return Printed.out(b.toString());
    }

    /**
     * {@code -o new [-n iface.* -v ...]}: 2.1.8 writes the iface, then applies the pairs (printing
     * "name updated." even when there are none), then says it was added.
     *
     * @param update the update's outcome, or null when there were no pairs to apply
     */
    public static Printed created(Outcome<String> create, Outcome<String> update) {
        String name = create.subject();
        if (!create.isOk()) {
            StringBuilder err = new StringBuilder();
            if (!create.message().isEmpty()) {
                err.append(Words.errorLine(create.message()));
            }
            err.append(Words.errorLine("Could not create new interface " + name + "."));
            return new Printed("", err.toString(), create.status().code());
        }
        Printed p = update == null ? Printed.out(name + " updated.\n") : updated(update);
        // 2.1.8 ignores how the update went: the iface was added
        return new Printed(p.stdout() + "New interface " + name + " added\n", p.stderr(), 0);
    }

    /** {@code -o update}: "name updated." or why not ({@code iface_param_update}). */
    public static Printed updated(Outcome<String> update) {
        String warnings = Words.warningLines(java.util.List.of(update));
        if (update.isOk()) {
            return new Printed(update.subject() + " updated.\n", warnings, 0);
        }
        StringBuilder err = new StringBuilder(warnings);
        if (!update.message().isEmpty()) {
            err.append(Words.errorLine(update.message()));
        }
        err.append(Words.errorLine("Could not update iface " + update.subject() + ": " + Words.errText(update.status())));
        return new Printed("", err.toString(), update.status().code());
    }

    /** {@code -o delete}: "name unbound and deleted." or why not. */
    public static Printed deleted(Outcome<String> delete) {
        if (delete.isOk()) {
            return Printed.out(delete.subject() + " unbound and deleted.\n");
        }
        StringBuilder err = new StringBuilder();
        if (!delete.message().isEmpty()) {
            err.append(Words.errorLine(delete.message()));
        }
        err.append(Words.errorLine("Could not delete iface " + delete.subject() + ": " + Words.errText(delete.status())));
        return new Printed("", err.toString(), delete.status().code());
    }
}

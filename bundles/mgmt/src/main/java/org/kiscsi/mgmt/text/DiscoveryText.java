package org.kiscsi.mgmt.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryApplier;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;

/**
 * What {@code iscsiadm -m discovery} and {@code -m discoverydb} print (usr/iscsiadm.c
 * {@code exec_disc_op}, {@code exec_disc2_op}, {@code exec_discover}, {@code exec_disc_op_on_recs};
 * usr/idbm.c {@code idbm_print_node_flat}, {@code idbm_print_node_tree},
 * {@code idbm_print_all_discovery}, {@code idbm_print}).
 */
public final class DiscoveryText {
    private DiscoveryText() {
    }

    /**
     * What a discovery found, as {@code exec_disc_op_on_recs} prints it: {@code 127.0.0.1:3260,1 iqn...}
     * per target portal and iface ({@code [::1]:3260,1} for an address without a dot, the TPGT signed:
     * {@code -1} when the target gave none), or at {@code -P 1} the target, portal and iface tree.
     * Records that could not be added or deleted are named on stderr, and the exit code is the first
     * such failure's (a record a session uses: 15, where 2.1.8 exits 0).
     */
    public static Printed found(AppliedDiscovery applied, int printLevel) {
        StringBuilder err = new StringBuilder();
        IscsiError first = IscsiError.OK;
        for (NodeChange c : applied.changes()) {
            if (c.error() == IscsiError.OK) {
                continue;
            }
            first = first == IscsiError.OK ? c.error() : first;
            if (c.error() == IscsiError.SESS_EXISTS) {
                lines(err, c.message());
            } else {
                NodeKey k = c.key();
                err.append(Words.errorLine("Could not add/update [tcp:[hw=,ip=,net_if=,iscsi_if=" + k.iface() + "] "
                        + k.portal().address() + "," + k.portal().port() + "," + k.portal().tpgt() + " " + k.target().value()
                        + "]"));
                lines(err, c.message());
            }
        }
        StringBuilder out = new StringBuilder();
        if (printLevel == 1) {
            Tree t = new Tree(out);
            applied.found().forEach(k -> t.add(k, ""));
        } else if (printLevel == 0 || printLevel == -1) {
            applied.found().forEach(k -> out.append(flat(k)).append('\n'));
        }
        return new Printed(out.toString(), err.toString(), first.code());
    }

    private static void lines(StringBuilder err, String message) {
        for (String line : message.split("\n")) {
            if (!line.isEmpty()) {
                err.append(Words.errorLine(line));
            }
        }
    }

    /** {@code idbm_print_node_flat}. */
    static String flat(NodeKey k) {
        return RecordText.portal(k) + "," + k.portal().tpgt() + " " + k.target().value();
    }

    /** {@code idbm_print_node_tree} and {@code idbm_print_node_and_iface_tree}: target and portal lines only when they change. */
    private static final class Tree {
        private final StringBuilder b;
        private NodeKey last;

        Tree(StringBuilder b) {
            this.b = b;
        }

        void add(NodeKey k, String prefix) {
            boolean newTarget = last == null || !last.target().equals(k.target());
            if (newTarget) {
                b.append(prefix).append("Target: ").append(k.target().value()).append('\n');
            }
            if (newTarget || !last.portal().address().equals(k.portal().address()) || last.portal().port() != k.portal().port()) {
                b.append(prefix).append("\tPortal: ").append(RecordText.portal(k)).append(',').append(k.portal().tpgt())
                        .append('\n');
            }
            b.append("\t\tIface Name: ").append(k.iface()).append('\n');
            last = k;
        }
    }

    /**
     * Bare {@code -m discovery} (and {@code -m discoverydb}): {@code 127.0.0.1:3260 via sendtargets} per
     * discovery record, SendTargets ones first; at {@code -P 1} each record's address and the node
     * records it found, by type. Nothing and 21 when there is no record.
     */
    public static Printed list(List<DiscoveryRecord> records, List<NodeRecord> nodes, int printLevel) {
        List<DiscoveryRecord> st = ofType(records, DiscoveryType.SENDTARGETS);
        List<DiscoveryRecord> isns = ofType(records, DiscoveryType.ISNS);
        StringBuilder b = new StringBuilder();
        int found;
        if (printLevel < 1) {
            for (DiscoveryRecord d : st) {
                b.append(d.address().address()).append(':').append(d.address().port()).append(" via sendtargets\n");
            }
            for (DiscoveryRecord d : isns) {
                b.append(d.address().address()).append(':').append(d.address().port()).append(" via isns\n");
            }
            found = st.size() + isns.size();
        } else {
            b.append("SENDTARGETS:\n");
            found = tree(b, st, nodes);
            if (found == 0) {
                b.append("No targets found.\n");
            }
            b.append("iSNS:\n");
            int n = tree(b, isns, nodes);
            if (n == 0) {
                // 2.1.8 then looks for node records of type isns with no server recorded
                n = discoveredTree(b, nodes, DiscoveryType.ISNS);
                if (n == 0) {
                    b.append("No targets found.\n");
                }
            }
            found += n;
            for (DiscoveryType t : List.of(DiscoveryType.STATIC, DiscoveryType.FIRMWARE)) {
                b.append(t == DiscoveryType.STATIC ? "STATIC:\n" : "FIRMWARE:\n");
                n = discoveredTree(b, nodes, t);
                if (n == 0) {
                    b.append("No targets found.\n");
                }
                found += n;
            }
        }
        return new Printed(b.toString(), "", found == 0 ? IscsiError.NO_OBJS_FOUND.code() : 0);
    }

    private static List<DiscoveryRecord> ofType(List<DiscoveryRecord> records, DiscoveryType type) {
        return records.stream().filter(d -> d.type() == type)
                .sorted(Comparator.comparing((DiscoveryRecord d) -> d.address().address()).thenComparingInt(d -> d.address().port()))
                .toList();
    }

    private static int tree(StringBuilder b, List<DiscoveryRecord> records, List<NodeRecord> nodes) {
        for (DiscoveryRecord d : records) {
            b.append("DiscoveryAddress: ").append(d.address().address()).append(',').append(d.address().port()).append('\n');
            Tree t = new Tree(b);
            for (NodeRecord r : RecordOrder.sortedNodes(nodes)) {
                if (DiscoveryApplier.cameFrom(r, d)) {
                    t.add(r.key(), "");
                }
            }
        }
        return records.size();
    }

    private static int discoveredTree(StringBuilder b, List<NodeRecord> nodes, DiscoveryType type) {
        Tree t = new Tree(b);
        int n = 0;
        for (NodeRecord r : RecordOrder.sortedNodes(nodes)) {
            if (r.values().get("node.discovery_type", "").trim().equals(type.nodeValue())) {
                t.add(r.key(), "");
                n++;
            }
        }
        return n;
    }

    /** {@code -m discoverydb -o show}: the record's dump, secrets masked unless {@code -S}. */
    public static Printed show(DiscoveryRecord d, boolean showSecrets) {
        RecordSchema schema = d.type() == DiscoveryType.ISNS ? RecordSchema.ISNS : RecordSchema.SENDTARGETS;
        StringBuilder b = new StringBuilder();
        RecordText.dump(b, schema, d.values().with("discovery.type", d.type().recordName())
                .with("discovery.sendtargets.address", d.address().address())
                .with("discovery.sendtargets.port", Integer.toString(d.address().port())).asMap(), showSecrets);
        return Printed.out(b.toString());
    }

    /** {@code exec_discover}: a record that is not there. */
    public static Printed notFound(Portal address, IscsiError status) {
        return Printed.error(status, "Discovery record [" + address.address() + "," + address.port() + "] not found.");
    }

    /** {@code -o new}: {@code New discovery record for [127.0.0.1,3260] added.} */
    public static Printed created(Outcome<Portal> o, Portal asGiven) {
        if (!o.isOk()) {
            return Printed.error(o.status(), o.message().isEmpty() ? "Could not add new discovery record." : o.message());
        }
        return Printed.out("New discovery record for [" + asGiven.address() + "," + asGiven.port() + "] added.\n");
    }

    /** {@code -o update}: silent on success. */
    public static Printed updated(Outcome<Portal> o) {
        Printed warnings = new Printed("", Words.warningLines(java.util.List.of(o)), 0);
        if (o.isOk()) {
            return warnings;
        }
        return warnings.then(Printed.error(o.status(), o.message()));
    }

    /**
     * {@code -o delete}: silent on success. A node record a session uses stays (kiscsi's 15; 2.1.8
     * deletes it and exits 0): each is named, then 2.1.8's "Unable to delete record!".
     */
    public static Printed deleted(Outcome<Portal> o) {
        if (o.isOk()) {
            return Printed.NOTHING;
        }
        StringBuilder err = new StringBuilder();
        lines(err, o.message());
        if (o.status() == IscsiError.SESS_EXISTS) {
            err.append(Words.errorLine("Unable to delete record!"));
        }
        return new Printed("", err.toString(), o.status().code());
    }

    /** {@code iscsiadm: No portals found} (21), as {@code do_software_sendtargets}. */
    public static Printed noPortals() {
        return Printed.error(IscsiError.NO_OBJS_FOUND, "No portals found");
    }

    /** A discovery that could not run: 2.1.8's "Could not perform SendTargets discovery: ..." and kiscsi's reason. */
    public static Printed failed(DiscoveryType type, IscsiError status, String message) {
        List<String> l = new ArrayList<>();
        l.add("Could not perform " + (type == DiscoveryType.ISNS ? "iSNS" : "SendTargets") + " discovery: "
                + Words.errText(status));
        if (!message.isEmpty()) {
            l.add(message);
        }
        StringBuilder err = new StringBuilder();
        l.forEach(x -> err.append(Words.errorLine(x)));
        return new Printed("", err.toString(), status.code());
    }
}

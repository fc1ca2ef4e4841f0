package org.kiscsi.mgmt.text;

import java.util.List;
import java.util.Map;

import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.node.Secrets;

/**
 * Records as {@code iscsiadm -m node} and {@code -m iface} print them: the node list
 * ({@code print_node_flat}, {@code print_nodes_tree} in usr/iscsiadm.c), the record dump of
 * {@code -o show} (libopeniscsiusr's {@code iscsi_node_print_config} and
 * {@code iscsi_iface_print_config}: every key open-iscsi knows, in its order, {@code <empty>} for an
 * empty value, secrets masked unless shown), and the message of {@code -o new}.
 */
public final class RecordText {
    private RecordText() {
    }

    /**
     * {@code iscsiadm -m node [-P 0|1]}: {@code 127.0.0.1:3260,1 iqn...} per record (the TPGT printed
     * unsigned, as 2.1.8's {@code %u} does: 4294967295 when unknown), or at {@code -P 1} the tree of
     * targets, portals and ifaces; {@code No records found} (21) when there is none.
     */
    public static Printed nodeList(List<NodeRecord> records, int printLevel) {
        if (printLevel != 0 && printLevel != -1 && printLevel != 1) {
            return Printed.error(org.kiscsi.api.IscsiError.INVAL, "Invalid info level " + printLevel + ". Try 0 or 1.");
        }
        if (records.isEmpty()) {
            return Printed.error(org.kiscsi.api.IscsiError.NO_OBJS_FOUND, "No records found");
        }
        List<NodeRecord> sorted = RecordOrder.sortedNodes(records);
        StringBuilder b = new StringBuilder();
        if (printLevel == 1) {
            tree(b, sorted, "", true);
        } else {
            for (NodeRecord r : sorted) {
                b.append(portal(r.key())).append(',').append(Words.unsigned(r.portal().tpgt())).append(' ')
                        .append(r.target().value()).append('\n');
            }
        }
        return Printed.out(b.toString());
    }

    /** {@code print_nodes_tree}: prefix "" for the node mode (with iface lines), "\t" under an iface. */
    static void tree(StringBuilder b, List<NodeRecord> sorted, String prefix, boolean withIface) {
        NodeRecord prev = null;
        for (NodeRecord r : sorted) {
            if (prev == null || !prev.target().equals(r.target())) {
                b.append(prefix).append("Target: ").append(r.target().value()).append('\n');
            }
            b.append(prefix).append("\tPortal: ").append(portal(r.key())).append(',').append(r.portal().tpgt()).append('\n');
            if (withIface) {
                b.append("\t\tIface Name: ").append(r.iface()).append('\n');
            }
            prev = r;
        }
    }

    /** {@code iscsi_node_portal_get}: {@code address:port}, IPv6 in brackets. */
    static String portal(NodeKey k) {
        return Words.bracketed(k.portal().address()) + ":" + k.portal().port();
    }

    /**
     * {@code -o show} of node records: one {@code # BEGIN RECORD} block each, in open-iscsi's order;
     * {@code No records found} (21) when none matched.
     *
     * @param showSecrets {@code -S}: passwords as stored (the records must have been read with secrets)
     */
    public static Printed nodeShow(List<NodeRecord> records, boolean showSecrets) {
        if (records.isEmpty()) {
            return Printed.error(org.kiscsi.api.IscsiError.NO_OBJS_FOUND, "No records found");
        }
        StringBuilder b = new StringBuilder();
        for (NodeRecord r : RecordOrder.sortedNodes(records)) {
            RecordValues v = r.values()
                    .with(NodeKeys.NAME, r.target().value())
                    .with(NodeKeys.TPGT, Integer.toString(r.portal().tpgt()))
                    .with(NodeKeys.ADDRESS, r.portal().address())
                    .with(NodeKeys.PORT, Integer.toString(r.portal().port()))
                    .with(NodeKeys.IFACE_NAME, r.iface());
            dump(b, RecordSchema.NODE, v.asMap(), showSecrets);
        }
        return Printed.out(b.toString());
    }

    /** {@code -m iface -I name [-o show]}: the iface record's dump. */
    public static Printed ifaceShow(IfaceRecord iface) {
        StringBuilder b = new StringBuilder();
        dump(b, RecordSchema.IFACE, iface.values().with(NodeKeys.IFACE_NAME, iface.name()).asMap(), false);
        return Printed.out(b.toString());
    }

    /** One record block; a key the record lacks shows open-iscsi's compiled-in default, as its reader fills it. */
    static void dump(StringBuilder b, RecordSchema schema, Map<String, String> values, boolean showSecrets) {
        b.append("# BEGIN RECORD ").append(Words.RECORD_VERSION).append('\n');
        for (RecordSchema.Field f : schema.fields()) {
            String v = values.getOrDefault(f.key(), f.defaultValue());
            if (!showSecrets) {
                v = Secrets.mask(f.key(), v);
            }
            b.append(f.key()).append(" = ").append(Words.orEmpty(v)).append('\n');
        }
        b.append("# END RECORD\n");
    }

    /**
     * {@code -o new}: {@code New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] 127.0.0.1,3260,1 iqn...] added}
     * per record created (usr/iscsiadm.c {@code add_static_rec}, {@code iface_fmt}).
     */
    public static Printed nodesAdded(List<NodeRecord> created) {
        StringBuilder b = new StringBuilder();
        for (NodeRecord r : created) {
            RecordValues v = r.values();
            b.append("New iSCSI node [").append(v.get(NodeKeys.TRANSPORT_NAME, "tcp")).append(":[hw=")
                    .append(v.get("iface.hwaddress", "")).append(",ip=").append(v.get(NodeKeys.IFACE_IPADDRESS, ""))
                    .append(",net_if=").append(v.get("iface.net_ifacename", "")).append(",iscsi_if=").append(r.iface())
                    .append("] ").append(r.portal().address()).append(',').append(r.portal().port()).append(',')
                    .append(r.portal().tpgt()).append(' ').append(r.target().value()).append("] added\n");
        }
        return Printed.out(b.toString());
    }
}

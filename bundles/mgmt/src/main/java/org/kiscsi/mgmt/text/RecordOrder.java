package org.kiscsi.mgmt.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;

/**
 * The order in which open-iscsi 2.1.8 lists records: libopeniscsiusr walks {@code nodes/<target>/
 * <portal>/<iface>} with {@code scandir(..., alphasort)}, so records come in byte order of the target
 * name, then of the portal directory's name ({@code address,port,tpgt}, or {@code address,port} when
 * the TPGT is unknown), then of the iface name; ifaces come as the files of {@code ifaces/} in byte
 * order, then the built-in {@code default} and {@code iser}. The front ends print in this order
 * whatever order the service returned.
 */
public final class RecordOrder {
    /** The built-in ifaces, in the order iscsiadm lists them after the stored ones. */
    public static final List<String> BUILT_IN_IFACES = List.of("default", "iser");

    public static final Comparator<NodeKey> NODE_KEYS = Comparator.comparing((NodeKey k) -> bytes(k.target().value()), Arrays::compareUnsigned)
            .thenComparing(k -> bytes(portalDirectory(k)), Arrays::compareUnsigned)
            .thenComparing(k -> bytes(k.iface()), Arrays::compareUnsigned);

    public static final Comparator<NodeRecord> NODES = Comparator.comparing(NodeRecord::key, NODE_KEYS);

    private RecordOrder() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The name open-iscsi gives a record's portal directory (or file): {@code 127.0.0.1,3260,1}, {@code ::1,3261}. */
    static String portalDirectory(NodeKey k) {
        return k.portal().address() + "," + k.portal().port() + (k.portal().hasTpgt() ? "," + k.portal().tpgt() : "");
    }

    public static List<NodeRecord> sortedNodes(List<NodeRecord> records) {
        List<NodeRecord> l = new ArrayList<>(records);
        l.sort(NODES);
        return l;
    }

    /** Stored ifaces in byte order of their names, then the built-in ones. */
    public static List<IfaceRecord> sortedIfaces(List<IfaceRecord> ifaces) {
        List<IfaceRecord> stored = new ArrayList<>();
        List<IfaceRecord> builtIn = new ArrayList<>();
        for (IfaceRecord i : ifaces) {
            (BUILT_IN_IFACES.contains(i.name()) ? builtIn : stored).add(i);
        }
        stored.sort(Comparator.comparing((IfaceRecord i) -> bytes(i.name()), Arrays::compareUnsigned));
        builtIn.sort(Comparator.comparingInt(i -> BUILT_IN_IFACES.indexOf(i.name())));
        stored.addAll(builtIn);
        return stored;
    }
}

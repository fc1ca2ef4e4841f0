package org.kiscsi.iscsid.internal.manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStore;

/**
 * open-iscsi's ifaces: the built-in {@code default} (tcp) and {@code iser} (iser), which have no
 * file and cannot be changed, and the ones the store keeps ({@code ifaces/<name>}).
 */
final class Ifaces {
    static final List<String> BUILT_IN = List.of("default", "iser");

    private Ifaces() {
    }

    static boolean isBuiltIn(String name) {
        return BUILT_IN.contains(name);
    }

    /** A new iface as open-iscsi's {@code -o new} writes it: compiled defaults, its name, tcp. */
    static RecordValues newValues(String name, String transport) {
        return RecordSchema.IFACE.defaults().with(NodeKeys.IFACE_NAME, name).with(NodeKeys.TRANSPORT_NAME, transport);
    }

    static IfaceRecord builtIn(String name) {
        return new IfaceRecord(name, newValues(name, name.equals("iser") ? "iser" : "tcp"));
    }

    /** The iface by that name: a built-in one, or the store's; empty when there is none. */
    static Optional<IfaceRecord> find(NodeStore store, String name) {
        if (isBuiltIn(name)) {
            // open-iscsi 2.1.8 reads a file named default when there is one (older tools wrote it)
            return Optional.of(name.equals("default") ? store.iface(name).orElse(builtIn(name)) : builtIn(name));
        }
        return store.iface(name);
    }

    /** Built-in ones first, then the store's, each name once. */
    static List<IfaceRecord> all(NodeStore store) {
        List<IfaceRecord> out = new ArrayList<>();
        for (String b : BUILT_IN) {
            out.add(find(store, b).orElseThrow());
        }
        for (IfaceRecord r : store.ifaces()) {
            if (!isBuiltIn(r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The iface's {@code iface.*} values as a node record copies them. */
    static RecordValues nodeValues(IfaceRecord iface) {
        RecordValues v = RecordValues.empty();
        for (var e : iface.values().asMap().entrySet()) {
            if (e.getKey().startsWith("iface.") && RecordSchema.NODE.knows(e.getKey())) {
                v = v.with(e.getKey(), e.getValue());
            }
        }
        return v.with(NodeKeys.IFACE_NAME, iface.name());
    }
}

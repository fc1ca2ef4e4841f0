package org.kiscsi.export.nbd.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.export.ExportSpec;
import org.kiscsi.api.node.NodeKey;

/**
 * The exports of {@code etc/org.kiscsi.export.nbd.cfg}: one property per export,
 * {@code export.<name> = <target> <portal> <lun> [iface=<iface>] [readonly]}, e.g.
 * {@code export.disk1 = iqn.2026-11.com.example:disk1 192.0.2.10:3260 1}. A line that cannot be read
 * fails the whole configuration, naming the property.
 */
final class ExportLines {
    static final String PREFIX = "export.";

    private ExportLines() {
    }

    static List<ExportSpec> parse(Map<String, ?> properties) {
        List<ExportSpec> specs = new ArrayList<>();
        for (Map.Entry<String, ?> e : new java.util.TreeMap<>(properties).entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                specs.add(parse(e.getKey().substring(PREFIX.length()), String.valueOf(e.getValue())));
            }
        }
        return specs;
    }

    /** The line {@link #parse(String, String)} reads back as {@code spec}. */
    static String format(ExportSpec spec) {
        NodeKey k = spec.node();
        Portal p = k.portal();
        StringBuilder b = new StringBuilder(k.target().toString()).append(' ')
                .append(p.tpgt() == Portal.TPGT_UNKNOWN ? p.hostPort() : p.toString()).append(' ').append(spec.lun());
        if (!k.iface().equals(NodeKey.DEFAULT_IFACE)) {
            b.append(" iface=").append(k.iface());
        }
        return spec.readOnly() ? b.append(" readonly").toString() : b.toString();
    }

    static ExportSpec parse(String name, String line) {
        String where = PREFIX + name + " = " + line;
        String[] t = line.trim().split("\\s+");
        if (name.isEmpty() || t.length < 3) {
            throw new IllegalArgumentException(where + ": expected export.<name> = <target> <portal> <lun> [iface=<iface>] [readonly]");
        }
        try {
            IscsiName target = IscsiName.of(t[0]);
            Portal portal = Portal.parse(t[1]);
            long lun = Long.parseLong(t[2]);
            String iface = null;
            boolean readOnly = false;
            for (int i = 3; i < t.length; i++) {
                if (t[i].startsWith("iface=")) {
                    iface = t[i].substring("iface=".length());
                } else if (t[i].equals("readonly")) {
                    readOnly = true;
                } else {
                    throw new IllegalArgumentException("unknown word '" + t[i] + "' (iface=<iface> or readonly)");
                }
            }
            return new ExportSpec(name, new NodeKey(target, portal, iface), lun, readOnly);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}

package org.kiscsi.mgmt;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;

/**
 * How a discovery travels. Arguments: {@code type}, {@code address}, {@code settings}, then
 * {@code iface} and {@code op} (lower case) repeated. The result: one row per target portal found
 * ({@code row = found} and the node key), one per record change ({@code row = change}, the key and
 * {@code kind}; the row's status and message are the change's error and sentence), and last
 * {@code row = discovery-record} with {@code written = yes|no}.
 */
final class DiscoveryCodecs {
    private DiscoveryCodecs() {
    }

    /** {@link org.kiscsi.api.manage.IscsiManagement#discover}'s arguments (ifaces and ops empty for the worst case). */
    record DiscoverArgs(DiscoveryType type, Portal address, DiscoverySettings settings, List<String> ifaces,
            Set<DiscoveryOp> ops) {
        DiscoverArgs {
            ifaces = List.copyOf(ifaces);
            ops = ops.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ops));
        }
    }

    static final ArgCodec<DiscoverArgs> ARGS = new ArgCodec<>() {
        public List<MgmtPair> encode(DiscoverArgs a) {
            Fields.Writer w = new Fields.Writer();
            w.put("type", a.type().name()).put("address", a.address().toString()).put("settings", a.settings().name());
            a.ifaces().forEach(i -> w.put("iface", i));
            // in the enum's order, so one request has one encoding
            for (DiscoveryOp op : DiscoveryOp.values()) {
                if (a.ops().contains(op)) {
                    w.put("op", op.name().toLowerCase(Locale.ROOT));
                }
            }
            return w.pairs();
        }

        public DiscoverArgs decode(Fields.Reader r) {
            Set<DiscoveryOp> ops = EnumSet.noneOf(DiscoveryOp.class);
            for (String op : r.all("op")) {
                try {
                    ops.add(DiscoveryOp.valueOf(op.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown discovery op '" + op + "'");
                }
            }
            return new DiscoverArgs(r.enumValue("type", DiscoveryType.class), Portal.parse(r.req("address")),
                    r.enumValue("settings", DiscoverySettings.class), r.all("iface"), ops);
        }
    };

    static final ResultCodec<AppliedDiscovery> RESULT = new ResultCodec<>() {
        public List<MgmtRow> encode(AppliedDiscovery d) {
            List<MgmtRow> rows = new ArrayList<>();
            for (NodeKey k : d.found()) {
                Fields.Writer w = new Fields.Writer().put("row", "found");
                ValueCodecs.NODE_KEY.write(k, w);
                rows.add(w.row());
            }
            for (NodeChange c : d.changes()) {
                Fields.Writer w = new Fields.Writer().put("row", "change");
                ValueCodecs.NODE_KEY.write(c.key(), w);
                w.put("kind", c.kind().name());
                rows.add(new MgmtRow(c.error().code(), c.message(), w.pairs()));
            }
            rows.add(new Fields.Writer().put("row", "discovery-record").put("written", d.discoveryRecordWritten()).row());
            return rows;
        }

        public AppliedDiscovery decode(List<MgmtRow> rows, String what) {
            List<NodeKey> found = new ArrayList<>();
            List<NodeChange> changes = new ArrayList<>();
            Boolean written = null;
            for (MgmtRow row : rows) {
                Fields.Reader r = ResultCodec.reader(row, what);
                switch (r.req("row")) {
                    case "found" -> found.add(ValueCodecs.NODE_KEY.read(r));
                    case "change" -> changes.add(new NodeChange(ValueCodecs.NODE_KEY.read(r),
                            r.enumValue("kind", NodeChange.Kind.class), IscsiError.ofCode(row.status()), row.message()));
                    case "discovery-record" -> written = r.bool("written");
                    default -> { } // a later version's rows: readers skip what they do not know
                }
            }
            if (written == null) {
                throw new IllegalArgumentException(what + ": no discovery-record row");
            }
            return new AppliedDiscovery(found, changes, written);
        }

        public String message(AppliedDiscovery d) {
            return d.found().size() + " target portal(s) found, " + d.changes().size() + " record change(s)";
        }
    };
}

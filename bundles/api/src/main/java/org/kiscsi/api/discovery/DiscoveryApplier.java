package org.kiscsi.api.discovery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreException;

/**
 * Applies what a discovery found to the node database, as open-iscsi 2.1.8's discovery operations
 * do ({@code exec_disc_op_on_recs}): the discovery record is written first (so the store can link
 * the node records to it), then records of this source that were not returned are deleted
 * ({@link DiscoveryOp#DELETE}), then the returned target portals are added ({@link DiscoveryOp#NEW},
 * and {@link DiscoveryOp#UPDATE} too for portals not known yet, as in open-iscsi) or rewritten
 * ({@link DiscoveryOp#UPDATE}). One deliberate difference: an update rewrites only
 * {@code node.discovery_address}, {@code node.discovery_port} and {@code node.discovery_type}, so
 * every setting a user changed stays. A target portal returned with a new TPGT is a new record; the
 * one with the old TPGT stays (open-iscsi's delete matches target, address, port and iface only).
 *
 * <p>Plain logic over a {@link NodeStore}: the caller discovers, checks the answer, and calls this
 * only with a good one (a bad answer writes nothing). Not thread-safe against itself on one store:
 * callers serialise discoveries of one source.
 */
public final class DiscoveryApplier {
    private final NodeStore store;
    private final RecordValues newRecordDefaults;
    private final Predicate<NodeKey> inUse;

    /**
     * @param store where the records go
     * @param newRecordDefaults the values a new node record starts from (iscsid.conf's node defaults)
     * @param inUse whether a session uses the record with this key (such a record is never deleted)
     */
    public DiscoveryApplier(NodeStore store, RecordValues newRecordDefaults, Predicate<NodeKey> inUse) {
        this.store = Objects.requireNonNull(store, "store");
        this.newRecordDefaults = Objects.requireNonNull(newRecordDefaults, "newRecordDefaults");
        this.inUse = Objects.requireNonNull(inUse, "inUse");
    }

    /**
     * @param source the discovery record the targets came from (written unless nonpersistent, when
     *        the store lacks it or holds other values)
     * @param targets what the discovery found
     * @param ops what to do; empty means {@link DiscoveryOp#defaults()}
     * @param ifaces the ifaces to make records for, one set each; empty means {@code default}
     * @throws IscsiException INVAL naming an iface that has no record (nothing is written then)
     * @throws NodeStoreException when the store cannot be read or the discovery record not written
     */
    public AppliedDiscovery apply(DiscoveryRecord source, List<DiscoveredTarget> targets, Set<DiscoveryOp> ops,
            List<String> ifaces) throws NodeStoreException {
        return apply(source, targets, ops, ifaces, true);
    }

    /**
     * As {@link #apply(DiscoveryRecord, List, Set, List)}, with {@code writeSource} saying whether the
     * discovery record itself is written: open-iscsi 2.1.8's {@code iscsiadm -m discovery -t isns}
     * writes none (only {@code -m discoverydb --discover} does), while its SendTargets discovery does.
     * The node records name their source either way.
     *
     * @since 1.1
     */
    public AppliedDiscovery apply(DiscoveryRecord source, List<DiscoveredTarget> targets, Set<DiscoveryOp> ops,
            List<String> ifaces, boolean writeSource) throws NodeStoreException {
        Set<DiscoveryOp> todo = ops.isEmpty() ? DiscoveryOp.defaults() : ops;
        List<String> via = ifaces.isEmpty() ? List.of(NodeKey.DEFAULT_IFACE) : List.copyOf(new LinkedHashSet<>(ifaces));
        List<NodeKey> found = found(targets, via);
        if (todo.contains(DiscoveryOp.NONPERSISTENT)) {
            return new AppliedDiscovery(found, List.of(), false);
        }
        List<RecordValues> ifaceValues = new ArrayList<>();
        for (String name : via) {
            ifaceValues.add(ifaceValues(name));
        }
        boolean wrote = false;
        Optional<DiscoveryRecord> known = store.discovery(source.type(), source.address());
        if (writeSource && (known.isEmpty() || !known.get().equals(source))) {
            store.putDiscovery(source);
            wrote = true;
        }
        List<NodeChange> changes = new ArrayList<>();
        if (todo.contains(DiscoveryOp.DELETE)) {
            deleteStale(source, found, changes);
        }
        if (todo.contains(DiscoveryOp.NEW) || todo.contains(DiscoveryOp.UPDATE)) {
            for (NodeKey key : found) {
                addOrUpdate(source, key, ifaceValues.get(via.indexOf(key.iface())), todo.contains(DiscoveryOp.UPDATE), changes);
            }
        }
        return new AppliedDiscovery(found, changes, wrote);
    }

    /** Whether {@code r} came from {@code source}, by its node.discovery_* keys. */
    public static boolean cameFrom(NodeRecord r, DiscoveryRecord source) {
        RecordValues v = r.values();
        return v.get(NodeKeys.DISCOVERY_TYPE, "").trim().equals(source.type().nodeValue())
                && v.get(NodeKeys.DISCOVERY_ADDRESS, "").trim().equalsIgnoreCase(source.address().address())
                && v.get(NodeKeys.DISCOVERY_PORT, "").trim().equals(Integer.toString(source.address().port()));
    }

    private static List<NodeKey> found(List<DiscoveredTarget> targets, List<String> via) {
        Set<NodeKey> keys = new LinkedHashSet<>();
        for (String iface : via) {
            for (DiscoveredTarget t : targets) {
                for (Portal p : t.portals()) {
                    keys.add(new NodeKey(t.name(), p, iface));
                }
            }
        }
        return List.copyOf(keys);
    }

    /** The iface.* values a new record through {@code name} carries (none for {@code default}). */
    private RecordValues ifaceValues(String name) throws NodeStoreException {
        if (NodeKey.DEFAULT_IFACE.equals(name)) {
            return RecordValues.empty();
        }
        IfaceRecord iface = store.iface(name).orElseThrow(() -> new IscsiException(IscsiError.INVAL,
                "iface " + name + ": there is no such iface record; no records were written"));
        RecordValues v = RecordValues.empty();
        for (var e : iface.values().asMap().entrySet()) {
            if (e.getKey().startsWith("iface.")) {
                v = v.with(e.getKey(), e.getValue());
            }
        }
        return v;
    }

    private void deleteStale(DiscoveryRecord source, List<NodeKey> found, List<NodeChange> changes) throws NodeStoreException {
        for (NodeRecord r : store.nodes()) {
            if (!cameFrom(r, source) || returned(r.key(), found)) {
                continue;
            }
            NodeKey k = r.key();
            if (inUse.test(k)) {
                changes.add(new NodeChange(k, NodeChange.Kind.FAILED, IscsiError.SESS_EXISTS, "This command will remove the "
                        + "record [iface: " + k.iface() + ", target: " + k.target() + ", portal: " + k.portal().address() + ","
                        + k.portal().port() + "], but a session is using it. Logout session then rerun command to remove record."));
                continue;
            }
            try {
                store.deleteNode(k);
                changes.add(NodeChange.of(k, NodeChange.Kind.DELETED));
            } catch (RuntimeException e) {
                changes.add(new NodeChange(k, NodeChange.Kind.FAILED, IscsiError.IDBM, "cannot delete the record " + k + ": "
                        + e.getMessage()));
            }
        }
    }

    /** Returned: the same target, address, port and iface (the TPGT may differ, as open-iscsi matches). */
    private static boolean returned(NodeKey k, List<NodeKey> found) {
        for (NodeKey f : found) {
            if (f.target().equals(k.target()) && f.iface().equals(k.iface())
                    && f.portal().withoutTpgt().equals(k.portal().withoutTpgt())) {
                return true;
            }
        }
        return false;
    }

    private void addOrUpdate(DiscoveryRecord source, NodeKey key, RecordValues ifaceValues, boolean update,
            List<NodeChange> changes) {
        try {
            Optional<NodeRecord> existing = store.node(key);
            if (existing.isEmpty()) {
                store.putNode(withSource(NodeRecord.create(key, newRecordDefaults.withAll(ifaceValues.asMap())), source));
                changes.add(NodeChange.of(key, NodeChange.Kind.ADDED));
            } else if (update) {
                NodeRecord rewritten = withSource(existing.get(), source);
                if (!rewritten.equals(existing.get())) {
                    store.putNode(rewritten);
                    changes.add(NodeChange.of(key, NodeChange.Kind.UPDATED));
                } else {
                    changes.add(NodeChange.of(key, NodeChange.Kind.KEPT));
                }
            } else {
                changes.add(NodeChange.of(key, NodeChange.Kind.KEPT));
            }
        } catch (RuntimeException e) {
            changes.add(new NodeChange(key, NodeChange.Kind.FAILED, IscsiError.IDBM, "cannot add or update the record " + key
                    + ": " + e.getMessage()));
        }
    }

    private static NodeRecord withSource(NodeRecord r, DiscoveryRecord source) {
        return r.with(NodeKeys.DISCOVERY_ADDRESS, source.address().address())
                .with(NodeKeys.DISCOVERY_PORT, Integer.toString(source.address().port()))
                .with(NodeKeys.DISCOVERY_TYPE, source.type().nodeValue());
    }
}

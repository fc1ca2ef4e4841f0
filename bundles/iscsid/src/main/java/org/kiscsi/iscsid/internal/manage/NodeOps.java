package org.kiscsi.iscsid.internal.manage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code iscsiadm -m node -o show|new|update|delete}: node records, each read-modify-write under its record's lock. */
final class NodeOps {
    private static final Logger LOG = LoggerFactory.getLogger(NodeOps.class);
    /** Target, then portal address, port and TPGT, then iface: how iscsiadm lists records. */
    static final Comparator<NodeKey> ORDER = Comparator.comparing((NodeKey k) -> k.target().value())
            .thenComparing(k -> k.portal().address(), String.CASE_INSENSITIVE_ORDER)
            .thenComparingInt(k -> k.portal().port()).thenComparingInt(k -> k.portal().tpgt())
            .thenComparing(NodeKey::iface);

    private final ManageContext ctx;
    private final RecordLocks locks;

    NodeOps(ManageContext ctx, RecordLocks locks) {
        this.ctx = ctx;
        this.locks = locks;
    }

    /** The records that match, sorted; secrets masked unless asked for. Runs on a worker. */
    static List<NodeRecord> matching(NodeStore store, NodeSelector selector) {
        List<NodeRecord> all = selector.target().isPresent() ? store.nodes(selector.target().get()) : store.nodes();
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord r : all) {
            if (selector.matches(r.key())) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing(NodeRecord::key, ORDER));
        return out;
    }

    static List<NodeRecord> matchingOrFail(NodeStore store, NodeSelector selector) {
        List<NodeRecord> out = matching(store, selector);
        if (out.isEmpty()) {
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, "No records found");
        }
        return out;
    }

    static NodeRecord masked(NodeRecord r) {
        return NodeRecord.of(RecordValues.of(r.values().masked()));
    }

    CompletionStage<List<NodeRecord>> nodes(NodeSelector selector, boolean withSecrets) {
        return Stages.on(ctx.workers(), () -> {
            List<NodeRecord> found = matching(ctx.requireStore(), selector);
            return withSecrets ? found : found.stream().map(NodeOps::masked).toList();
        });
    }

    CompletionStage<List<Outcome<NodeKey>>> create(NodeSelector exact) {
        return Stages.on(ctx.workers(), () -> {
            if (!exact.isExact()) {
                throw new IscsiException(IscsiError.INVAL, "a new node record needs a target (-T) and a portal (-p)");
            }
            NodeStore store = ctx.requireStore();
            List<String> ifaces = exact.ifaces().isEmpty() ? List.of(NodeKey.DEFAULT_IFACE) : exact.ifaces();
            Portal portal = exact.portal().get();
            List<Outcome<NodeKey>> out = new ArrayList<>();
            for (String name : ifaces) {
                NodeKey key = new NodeKey(exact.target().get(), portal, name);
                Optional<IfaceRecord> iface = Ifaces.find(store, name);
                if (iface.isEmpty()) {
                    // 2.1.8: idbm_create_rec cannot read the iface, and node mode then exits with ISCSI_ERR_NOMEM
                    out.add(Outcome.failed(key, IscsiError.NOMEM, "Could not read iface info for " + name + "."));
                    continue;
                }
                RecordValues values = RecordSchema.NODE.defaults().withAll(ctx.nodeDefaults().get().asMap())
                        .withAll(Ifaces.nodeValues(iface.get()).asMap());
                NodeRecord record = NodeRecord.create(key, values);
                try {
                    locks.with(key, () -> {
                        store.putNode(record);
                        return null;
                    });
                    LOG.info("node record {} created", key);
                    out.add(Outcome.ok(key));
                } catch (RuntimeException e) {
                    out.add(Stages.failed(key, e));
                }
            }
            return out;
        });
    }

    CompletionStage<List<Outcome<NodeKey>>> update(NodeSelector selector, List<RecordChange> changes) {
        return Stages.on(ctx.workers(), () -> {
            List<RecordChange> checked = RecordKeys.checkNode(changes);
            NodeStore store = ctx.requireStore();
            List<Outcome<NodeKey>> out = new ArrayList<>();
            List<String> warnings = RecordKeys.warnings(RecordSchema.NODE, checked);
            for (NodeRecord r : matchingOrFail(store, selector)) {
                Outcome<NodeKey> o = updateOne(store, r.key(), checked);
                out.add(o.isOk() ? o.withWarnings(warnings) : o);
            }
            return out;
        });
    }

    /** Applies {@code changes} in order to the record as stored now, under its lock. */
    Outcome<NodeKey> updateOne(NodeStore store, NodeKey key, List<RecordChange> changes) {
        try {
            return locks.with(key, () -> {
                Optional<NodeRecord> now = store.node(key);
                if (now.isEmpty()) {
                    return Outcome.failed(key, IscsiError.NO_OBJS_FOUND, "record " + key + " was deleted meanwhile");
                }
                boolean transport = changes.stream().anyMatch(c -> c.key().equals(NodeKeys.TRANSPORT_NAME));
                if (transport && inUse(key)) {
                    return Outcome.failed(key, IscsiError.SESS_EXISTS, "Cannot modify node/iface transport name while a "
                            + "session is using it. Log out the session then update record.");
                }
                RecordValues v = now.get().values();
                for (RecordChange c : changes) {
                    v = v.with(c.key(), c.value());
                }
                store.putNode(NodeRecord.of(v));
                LOG.info("node record {} updated: {}", key, changes);
                return Outcome.ok(key);
            });
        } catch (RuntimeException e) {
            return Stages.failed(key, e);
        }
    }

    CompletionStage<List<Outcome<NodeKey>>> delete(NodeSelector selector) {
        return Stages.on(ctx.workers(), () -> {
            NodeStore store = ctx.requireStore();
            List<Outcome<NodeKey>> out = new ArrayList<>();
            for (NodeRecord r : matchingOrFail(store, selector)) {
                out.add(deleteOne(store, r.key()));
            }
            return out;
        });
    }

    /** Deletes a record no session uses; one in use stays, as 2.1.8 keeps it (SESS_EXISTS). */
    Outcome<NodeKey> deleteOne(NodeStore store, NodeKey key) {
        try {
            return locks.with(key, () -> {
                if (inUse(key)) {
                    return Outcome.failed(key, IscsiError.SESS_EXISTS, "This command will remove the record [iface: "
                            + key.iface() + ", target: " + key.target() + ", portal: " + key.portal().address() + ","
                            + key.portal().port() + "], but a session is using it. Logout session then rerun command to "
                            + "remove record.");
                }
                store.deleteNode(key);
                LOG.info("node record {} deleted", key);
                return Outcome.ok(key);
            });
        } catch (RuntimeException e) {
            return Stages.failed(key, e);
        }
    }

    /** Whether a session (logged in, recovering, logging in or out) runs on the record. */
    boolean inUse(NodeKey key) {
        Optional<SessionManager> engine = ctx.engine().get();
        if (engine.isEmpty()) {
            return false;
        }
        for (SessionInfo s : engine.get().sessions()) {
            if (s.state() != SessionState.CLOSED && s.node().equals(key)) {
                return true;
            }
        }
        return false;
    }
}

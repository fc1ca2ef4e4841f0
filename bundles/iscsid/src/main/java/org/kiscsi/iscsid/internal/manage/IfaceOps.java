package org.kiscsi.iscsid.internal.manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code iscsiadm -m iface}: built-in ifaces cannot be written, changed or deleted (2.1.8's "is a
 * special interface" refusals, INVAL); an update also updates the node records bound to the iface,
 * and a delete deletes them first, keeping (and failing on) any a session uses, as 2.1.8 does.
 */
final class IfaceOps {
    private static final Logger LOG = LoggerFactory.getLogger(IfaceOps.class);

    private final ManageContext ctx;
    private final RecordLocks locks;
    private final NodeOps nodes;

    IfaceOps(ManageContext ctx, RecordLocks locks, NodeOps nodes) {
        this.ctx = ctx;
        this.locks = locks;
        this.nodes = nodes;
    }

    CompletionStage<List<IfaceRecord>> ifaces() {
        return Stages.on(ctx.workers(), () -> Ifaces.all(ctx.requireStore()));
    }

    CompletionStage<IfaceRecord> iface(String name) {
        return Stages.on(ctx.workers(), () -> Ifaces.find(ctx.requireStore(), name)
                .orElseThrow(() -> new IscsiException(IscsiError.NO_OBJS_FOUND, "Could not read iface " + name + ".")));
    }

    CompletionStage<Outcome<String>> create(String name) {
        return Stages.on(ctx.workers(), () -> {
            checkName(name);
            if (Ifaces.isBuiltIn(name)) {
                return Outcome.failed(name, IscsiError.INVAL, "iface " + name + " is a special interface and is not stored in "
                        + ctx.storeRoot().resolve("ifaces") + ".");
            }
            NodeStore store = ctx.requireStore();
            return locks.with("iface " + name, () -> {
                if (usedBySession(name)) {
                    return Outcome.failed(name, IscsiError.SESS_EXISTS, "Could not create new interface " + name
                            + ": a session is using it.");
                }
                store.putIface(new IfaceRecord(name, Ifaces.newValues(name, "tcp")));
                LOG.info("New interface {} added", name);
                return Outcome.ok(name);
            });
        });
    }

    CompletionStage<Outcome<String>> update(String name, List<RecordChange> changes) {
        return Stages.on(ctx.workers(), () -> {
            RecordKeys.checkIface(changes);
            if (Ifaces.isBuiltIn(name)) {
                return Outcome.failed(name, IscsiError.INVAL, "iface " + name + " is a special interface and cannot be modified.");
            }
            NodeStore store = ctx.requireStore();
            Outcome<String> o = locks.with("iface " + name, () -> {
                Optional<IfaceRecord> now = store.iface(name);
                if (now.isEmpty()) {
                    return Outcome.failed(name, IscsiError.NO_OBJS_FOUND, "Could not read iface " + name + ".");
                }
                RecordValues v = now.get().values();
                for (RecordChange c : changes) {
                    v = v.with(c.key(), c.value());
                }
                store.putIface(new IfaceRecord(name, v));
                return Outcome.ok(name);
            });
            if (!o.isOk()) {
                return o;
            }
            if (usedBySession(name)) {
                LOG.warn("Updating iface {} while iscsi sessions are using it: log the sessions out and in again for the new"
                        + " settings to take effect", name);
            }
            // the node records bound to it carry the iface's values too
            for (NodeRecord r : store.nodes()) {
                if (r.iface().equals(name)) {
                    Outcome<NodeKey> n = nodes.updateOne(store, r.key(), changes);
                    if (!n.isOk()) {
                        return Outcome.failed(name, n.status(), "iface " + name + " updated, but node record " + r.key()
                                + " not: " + n.message());
                    }
                }
            }
            LOG.info("{} updated.", name);
            return o.withWarnings(RecordKeys.warnings(RecordSchema.IFACE, changes));
        });
    }

    CompletionStage<Outcome<String>> delete(String name) {
        return Stages.on(ctx.workers(), () -> {
            if (Ifaces.isBuiltIn(name)) {
                return Outcome.failed(name, IscsiError.INVAL, "iface " + name + " is a special interface and cannot be deleted.");
            }
            NodeStore store = ctx.requireStore();
            return locks.with("iface " + name, () -> {
                if (store.iface(name).isEmpty()) {
                    return Outcome.failed(name, IscsiError.NO_OBJS_FOUND, "Could not read iface " + name + ".");
                }
                if (usedBySession(name)) {
                    return Outcome.failed(name, IscsiError.SESS_EXISTS, "Could not delete iface " + name
                            + ": session exists (a session is using it; log it out first)");
                }
                List<Outcome<NodeKey>> failed = new ArrayList<>();
                for (NodeRecord r : store.nodes()) {
                    if (r.iface().equals(name)) {
                        Outcome<NodeKey> n = nodes.deleteOne(store, r.key());
                        if (!n.isOk()) {
                            failed.add(n);
                        }
                    }
                }
                if (!failed.isEmpty()) {
                    return Outcome.failed(name, failed.get(0).status(), "Could not delete iface " + name + ": "
                            + failed.get(0).message());
                }
                store.deleteIface(name);
                LOG.info("{} unbound and deleted.", name);
                return Outcome.ok(name);
            });
        });
    }

    private boolean usedBySession(String iface) {
        Optional<SessionManager> engine = ctx.engine().get();
        if (engine.isEmpty()) {
            return false;
        }
        for (SessionInfo s : engine.get().sessions()) {
            if (s.state() != SessionState.CLOSED && s.node().iface().equals(iface)) {
                return true;
            }
        }
        return false;
    }

    /** 2.1.8's iface_alloc: a name that fits ISCSI_MAX_IFACE_LEN (65) and can be a file name. */
    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > 64 || name.contains("/") || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c <= ' ')) {
            throw new IscsiException(IscsiError.INVAL, "invalid iface name '" + name + "'");
        }
    }
}

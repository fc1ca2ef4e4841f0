package org.kiscsi.iscsid.internal.manage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.DiscoveryApplier;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code iscsiadm -m discoverydb -o show|new|update|delete}: discovery records (a deleted one takes its node records along). */
final class DiscoveryOps {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryOps.class);

    private final ManageContext ctx;
    private final RecordLocks locks;

    DiscoveryOps(ManageContext ctx, RecordLocks locks) {
        this.ctx = ctx;
        this.locks = locks;
    }

    CompletionStage<List<DiscoveryRecord>> records(boolean withSecrets) {
        return Stages.on(ctx.workers(), () -> ctx.requireStore().discoveries().stream()
                .map(d -> withSecrets ? d : new DiscoveryRecord(d.type(), d.address(), RecordValues.of(d.values().masked())))
                .sorted(Comparator.comparing((DiscoveryRecord d) -> d.type().ordinal())
                        .thenComparing(d -> d.address().address()).thenComparingInt(d -> d.address().port()))
                .toList());
    }

    CompletionStage<Outcome<Portal>> create(DiscoveryType type, Portal address) {
        return Stages.on(ctx.workers(), () -> {
            Portal a = address.withoutTpgt();
            DiscoveryRecord d = DiscoveryRuns.defaults(ctx, type, a);
            NodeStore store = ctx.requireStore();
            locks.with(lockKey(type, a), () -> {
                store.putDiscovery(d);
                return null;
            });
            LOG.info("discovery record {} {} created", type, a.hostPort());
            return Outcome.ok(a);
        });
    }

    CompletionStage<Outcome<Portal>> update(DiscoveryType type, Portal address, List<RecordChange> changes) {
        return Stages.on(ctx.workers(), () -> {
            RecordKeys.checkDiscovery(type, changes);
            Portal a = address.withoutTpgt();
            NodeStore store = ctx.requireStore();
            return locks.with(lockKey(type, a), () -> {
                Optional<DiscoveryRecord> now = store.discovery(type, a);
                if (now.isEmpty()) {
                    return Outcome.failed(a, IscsiError.NO_OBJS_FOUND, "Discovery record [" + a.address() + "," + a.port()
                            + "] not found.");
                }
                DiscoveryRecord d = now.get();
                for (RecordChange c : changes) {
                    d = d.with(c.key(), c.value());
                }
                store.putDiscovery(d);
                LOG.info("discovery record {} {} updated: {}", type, a.hostPort(), changes);
                return Outcome.ok(a).withWarnings(RecordKeys.warnings(RecordKeys.schema(type), changes));
            });
        });
    }

    /**
     * The discovery record, then the node records it found (2.1.8's {@code idbm_delete_discovery}); a
     * node record a session uses stays, and so does the discovery record then (SESS_EXISTS).
     */
    CompletionStage<Outcome<Portal>> delete(DiscoveryType type, Portal address) {
        return Stages.on(ctx.workers(), () -> {
            RecordKeys.schema(type);
            Portal a = address.withoutTpgt();
            NodeStore store = ctx.requireStore();
            Predicate<NodeKey> inUse = DiscoveryRuns.inUse(ctx);
            return locks.with(lockKey(type, a), () -> {
                Optional<DiscoveryRecord> d = store.discovery(type, a);
                if (d.isEmpty()) {
                    return Outcome.failed(a, IscsiError.NO_OBJS_FOUND, "Discovery record [" + a.address() + "," + a.port()
                            + "] not found.");
                }
                List<String> kept = new ArrayList<>();
                int deleted = 0;
                for (NodeRecord r : store.nodes()) {
                    if (!DiscoveryApplier.cameFrom(r, d.get())) {
                        continue;
                    }
                    NodeKey k = r.key();
                    if (inUse.test(k)) {
                        kept.add("This command will remove the record [iface: " + k.iface() + ", target: " + k.target()
                                + ", portal: " + k.portal().address() + "," + k.portal().port() + "], but a session is using"
                                + " it. Logout session then rerun command to remove record.");
                        continue;
                    }
                    locks.with(k, () -> store.deleteNode(k));
                    deleted++;
                }
                if (!kept.isEmpty()) {
                    LOG.info("discovery record {} {}: {} node record(s) deleted, {} kept (in use); the discovery record stays",
                            type, a.hostPort(), deleted, kept.size());
                    return Outcome.failed(a, IscsiError.SESS_EXISTS, String.join("\n", kept));
                }
                store.deleteDiscovery(type, a);
                LOG.info("discovery record {} {} deleted, and the {} node record(s) it found", type, a.hostPort(), deleted);
                return Outcome.ok(a);
            });
        });
    }

    private static String lockKey(DiscoveryType type, Portal a) {
        return "discovery " + type + " " + a.hostPort();
    }
}

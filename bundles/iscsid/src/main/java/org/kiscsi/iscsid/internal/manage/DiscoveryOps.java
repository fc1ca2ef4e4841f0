package org.kiscsi.iscsid.internal.manage;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code iscsiadm -m discoverydb -o show|new|update|delete}: discovery records; the node records they found stay. */
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
            RecordSchema kind = RecordKeys.schema(type);
            Portal a = address.withoutTpgt();
            RecordValues v = kind.defaults().withAll(ctx.discoveryDefaults().apply(type).asMap())
                    .with("discovery.sendtargets.address", a.address())
                    .with("discovery.sendtargets.port", Integer.toString(a.port()));
            NodeStore store = ctx.requireStore();
            locks.with(lockKey(type, a), () -> {
                store.putDiscovery(new DiscoveryRecord(type, a, v));
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
                return Outcome.ok(a);
            });
        });
    }

    CompletionStage<Outcome<Portal>> delete(DiscoveryType type, Portal address) {
        return Stages.on(ctx.workers(), () -> {
            RecordKeys.schema(type);
            Portal a = address.withoutTpgt();
            NodeStore store = ctx.requireStore();
            return locks.with(lockKey(type, a), () -> {
                if (!store.deleteDiscovery(type, a)) {
                    return Outcome.failed(a, IscsiError.NO_OBJS_FOUND, "Discovery record [" + a.address() + "," + a.port()
                            + "] not found.");
                }
                LOG.info("discovery record {} {} deleted; its node records stay", type, a.hostPort());
                return Outcome.ok(a);
            });
        });
    }

    private static String lockKey(DiscoveryType type, Portal a) {
        return "discovery " + type + " " + a.hostPort();
    }
}

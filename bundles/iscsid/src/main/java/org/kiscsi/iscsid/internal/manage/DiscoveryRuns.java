package org.kiscsi.iscsid.internal.manage;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryApplier;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code iscsiadm -m discovery} and {@code -m discoverydb --discover}: checks the ifaces, asks the
 * discovery method installed for the type (on the engine's threads, bounded by the record's own
 * timeouts), then applies the answer on a worker. Discoveries of one source run one after the other,
 * so two of them never interleave their record writes.
 */
final class DiscoveryRuns {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryRuns.class);

    private final ManageContext ctx;
    /** The last discovery of each source, which the next one waits for. */
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    DiscoveryRuns(ManageContext ctx) {
        this.ctx = ctx;
    }

    /** What a discovery runs with, read on a worker. */
    private record Prepared(DiscoveryRecord record, DiscoverySettings settings, SessionManager engine, IscsiName initiator,
            NodeStore store) {
    }

    CompletionStage<AppliedDiscovery> discover(DiscoveryType type, Portal address, DiscoverySettings settings,
            List<String> ifaces, Set<DiscoveryOp> ops) {
        Portal a = address.withoutTpgt();
        return serialized(type + " " + a.hostPort(), () -> {
            DiscoveryProvider provider = provider(type, a);
            return Stages.on(ctx.workers(), () -> prepare(type, a, settings, ifaces))
                    .thenCompose(p -> ask(provider, p)
                            .thenApplyAsync(found -> apply(p, found, ifaces, ops), ctx.workers()));
        });
    }

    CompletionStage<Duration> worstCase(DiscoveryType type, Portal address, DiscoverySettings settings) {
        return Stages.on(ctx.workers(), () -> worstCase(record(ctx.requireStore(), type, address.withoutTpgt(), settings)));
    }

    /**
     * A discovery at its longest: a connect and a login exchange of up to {@code timeo.login_timeout}
     * each, with CHAP two security-stage answers of up to {@code timeo.auth_timeout} each, and the
     * SendTargets answer within {@code timeo.active_timeout}. The defaults give 15 + 15 + 30 = 60 s
     * (150 s with CHAP). The discovery method gets this as its whole bound.
     */
    static Duration worstCase(DiscoveryRecord r) {
        String p = "discovery." + r.type().recordName() + ".";
        RecordValues v = r.values();
        long login = seconds(v, p + "timeo.login_timeout", 15);
        long auth = seconds(v, p + "timeo.auth_timeout", 45);
        long active = seconds(v, p + "timeo.active_timeout", 30);
        boolean chap = v.get(p + "auth.authmethod", "None").trim().equalsIgnoreCase("CHAP");
        return Duration.ofSeconds(2 * login + (chap ? 2 * auth : 0) + active);
    }

    private static long seconds(RecordValues v, String key, long dflt) {
        try {
            return Math.max(1, Math.min(86_400, v.getInt(key, (int) dflt)));
        } catch (IscsiException e) {
            return dflt; // the discovery session refuses the value itself, naming it
        }
    }

    private synchronized <T> CompletableFuture<T> serialized(String source, Supplier<CompletionStage<T>> body) {
        CompletableFuture<?> before = tails.getOrDefault(source, CompletableFuture.completedFuture(null));
        CompletableFuture<T> mine = before.handle((x, t) -> null)
                .thenCompose(v -> Stages.guarded(body)).toCompletableFuture();
        CompletableFuture<?> tail = mine.handle((x, t) -> null);
        tails.put(source, tail);
        tail.thenRun(() -> {
            synchronized (this) {
                tails.remove(source, tail);
            }
        });
        return mine;
    }

    private DiscoveryProvider provider(DiscoveryType type, Portal a) {
        return ctx.discovery().apply(type).orElseThrow(() -> switch (type) {
            case ISNS -> new IscsiException(IscsiError.ISNS_UNAVAILABLE, "iSNS discovery of " + a.hostPort()
                    + ": no iSNS discovery installed");
            case SENDTARGETS -> new IscsiException(IscsiError.OP_NOT_SUPP, "SendTargets discovery at " + a.hostPort()
                    + ": no SendTargets discovery installed (feature kiscsi-discovery-sendtargets)");
            default -> new IscsiException(IscsiError.INVAL, "Unsupported discovery type.");
        });
    }

    /** The discovery record as the settings say; never written here. */
    DiscoveryRecord record(NodeStore store, DiscoveryType type, Portal a, DiscoverySettings settings) {
        if (settings == DiscoverySettings.STORED) {
            var stored = store.discovery(type, a);
            if (stored.isPresent()) {
                return stored.get();
            }
        }
        return defaults(ctx, type, a);
    }

    /** A discovery record of iscsid.conf's defaults for the address (what {@code -o new} writes). */
    static DiscoveryRecord defaults(ManageContext ctx, DiscoveryType type, Portal a) {
        RecordSchema kind = RecordKeys.schema(type);
        RecordValues v = kind.defaults().withAll(ctx.discoveryDefaults().apply(type).asMap())
                .with("discovery.sendtargets.address", a.address())
                .with("discovery.sendtargets.port", Integer.toString(a.port()));
        return new DiscoveryRecord(type, a, v);
    }

    private Prepared prepare(DiscoveryType type, Portal a, DiscoverySettings settings, List<String> ifaces) {
        NodeStore store = ctx.requireStore();
        Set<String> installed = ctx.transports().get();
        for (String name : ifaces.isEmpty() ? List.of(NodeKey.DEFAULT_IFACE) : ifaces) {
            IfaceRecord iface = Ifaces.find(store, name).orElseThrow(() -> new IscsiException(IscsiError.INVAL,
                    "Could not read iface info for " + name + ". Make sure an iface config with the file name and"
                    + " iface.iscsi_ifacename " + name + " is in " + ctx.storeRoot().resolve("ifaces") + "."));
            String transport = LoginOps.transportOf(iface.values());
            if (!installed.contains(transport)) {
                throw new IscsiException(IscsiError.TRANS_NOT_FOUND, LoginOps.noTransport(name, transport, installed));
            }
        }
        SessionManager engine = ctx.requireEngine("discovery");
        String me = ctx.initiatorName().get();
        if (me.isEmpty()) {
            throw new IscsiException(IscsiError.INVAL, "discovery of " + a.hostPort() + ": this initiator has no name"
                    + " (see the initiatorname file)");
        }
        return new Prepared(record(store, type, a, settings), settings, engine, IscsiName.of(me), store);
    }

    private static CompletionStage<List<DiscoveredTarget>> ask(DiscoveryProvider provider, Prepared p) {
        LOG.info("discovery of {} {}", p.record().type(), p.record().address().hostPort());
        return Stages.guarded(() -> provider.discover(p.record(),
                new DiscoveryContext(p.initiator(), p.engine(), worstCase(p.record()))));
    }

    private AppliedDiscovery apply(Prepared p, List<DiscoveredTarget> found, List<String> ifaces, Set<DiscoveryOp> ops) {
        String where = p.record().type() + " " + p.record().address().hostPort();
        if (found.stream().allMatch(t -> t.portals().isEmpty())) {
            LOG.info("discovery of {}: no portals found", where);
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, "No portals found");
        }
        RecordValues newRecords = RecordSchema.NODE.defaults().withAll(ctx.nodeDefaults().get().asMap());
        // as 2.1.8: -m discovery -t isns keeps no record of the server; -t st and discoverydb --discover do
        boolean writeSource = !(p.record().type() == DiscoveryType.ISNS && p.settings() == DiscoverySettings.ISCSID_CONF);
        AppliedDiscovery applied = new DiscoveryApplier(p.store(), newRecords, inUse(ctx))
                .apply(p.record(), found, ops, ifaces, writeSource);
        LOG.info("discovery of {}: {} target portal(s) found; {} added, {} updated, {} deleted, {} failed", where,
                applied.found().size(), applied.changes(NodeChange.Kind.ADDED).size(),
                applied.changes(NodeChange.Kind.UPDATED).size(), applied.changes(NodeChange.Kind.DELETED).size(),
                applied.changes(NodeChange.Kind.FAILED).size());
        return applied;
    }

    /** Whether a live session uses the record (as 2.1.8 matches: target, address, port, iface). */
    static Predicate<NodeKey> inUse(ManageContext ctx) {
        List<NodeKey> used = ctx.engine().get().map(e -> e.sessions().stream()
                .filter(s -> s.type() == SessionType.NORMAL && s.state() != SessionState.CLOSED)
                .map(s -> s.node()).toList()).orElse(List.of());
        return k -> used.stream().anyMatch(u -> u.target().equals(k.target()) && u.iface().equals(k.iface())
                && u.portal().withoutTpgt().equals(k.portal().withoutTpgt()));
    }
}

package org.kiscsi.iscsid.internal.manage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.spi.store.NodeStore;

/** {@code -m session} (list, {@code -P}, {@code -R}, {@code -s}) and {@code -m host}. */
final class SessionView {
    private final ManageContext ctx;
    private final LunScans scans;
    /** A host per transport name, numbered as first seen: the numbers stay while the daemon runs. */
    private final Map<String, Integer> hostNumbers = new LinkedHashMap<>();

    SessionView(ManageContext ctx, LunScans scans) {
        this.ctx = ctx;
        this.scans = scans;
    }

    synchronized int hostNumber(String transport) {
        return hostNumbers.computeIfAbsent(transport, t -> hostNumbers.size() + 1);
    }

    CompletionStage<List<SessionDetails>> sessions() {
        return Stages.on(ctx.workers(), () -> {
            SessionManager engine = ctx.requireEngine("session list");
            List<SessionInfo> all = engine.sessions().stream().filter(s -> s.type() == SessionType.NORMAL).toList();
            Set<Long> live = new HashSet<>();
            all.forEach(s -> live.add(s.sid()));
            scans.retain(live);
            Optional<NodeStore> store = ctx.store().get();
            List<SessionDetails> out = new ArrayList<>();
            for (SessionInfo s : all) {
                out.add(details(store, s));
            }
            return out;
        });
    }

    CompletionStage<SessionDetails> session(long sid) {
        return Stages.on(ctx.workers(), () -> {
            SessionInfo s = ctx.requireEngine("session").session(sid).filter(x -> x.state() != SessionState.CLOSED)
                    .orElseThrow(() -> notFound(sid));
            return details(ctx.store().get(), s);
        });
    }

    private static IscsiException notFound(long sid) {
        return new IscsiException(IscsiError.SESS_NOT_FOUND, "Could not get session info for sid " + sid);
    }

    /** The session with its record and iface as stored now (the store may be absent: then the record's own iface values). */
    private SessionDetails details(Optional<NodeStore> store, SessionInfo s) {
        Optional<NodeRecord> record = Optional.empty();
        IfaceRecord iface = null;
        if (store.isPresent()) {
            record = store.get().node(s.node());
            iface = Ifaces.find(store.get(), s.node().iface()).orElse(null);
        } else if (Ifaces.isBuiltIn(s.node().iface())) {
            iface = Ifaces.builtIn(s.node().iface());
        }
        if (iface == null) {
            // an iface file deleted after login: what the record (or the built-in) says of it
            RecordValues v = record.map(r -> Ifaces.nodeValues(new IfaceRecord(s.node().iface(), r.values())))
                    .orElse(Ifaces.newValues(s.node().iface(), transportOf(s)));
            iface = new IfaceRecord(s.node().iface(), v);
        }
        return new SessionDetails(s, record.map(NodeOps::masked), iface, hostNumber(transportOf(s)), scans.of(s.sid()));
    }

    static String transportOf(SessionInfo s) {
        return s.connections().isEmpty() ? "tcp" : s.connections().get(0).transport();
    }

    CompletionStage<List<Outcome<SessionInfo>>> rescan(long sid) {
        return Stages.guarded(() -> {
            SessionManager engine = ctx.requireEngine("rescan");
            List<SessionInfo> targets = new ArrayList<>();
            for (SessionInfo s : engine.sessions()) {
                if (s.type() == SessionType.NORMAL && s.state() != SessionState.CLOSED && (sid < 0 || s.sid() == sid)) {
                    targets.add(s);
                }
            }
            if (targets.isEmpty()) {
                throw sid < 0 ? new IscsiException(IscsiError.NO_OBJS_FOUND, "No session found.") : notFound(sid);
            }
            List<CompletableFuture<Outcome<SessionInfo>>> each = new ArrayList<>();
            for (SessionInfo s : targets) {
                each.add(scans.scan(s.sid()).thenApply(l -> Outcome.ok(s)).exceptionally(t -> Stages.failed(s, t)));
            }
            return Stages.all(each);
        });
    }

    CompletionStage<SessionStatistics> statistics(long sid) {
        return Stages.guarded(() -> CompletableFuture.completedFuture(ctx.requireEngine("statistics").statistics(sid)));
    }

    CompletionStage<List<HostInfo>> hosts() {
        return Stages.guarded(() -> {
            Set<String> transports = new TreeSet<>(ctx.transports().get());
            Map<String, List<Long>> sids = new LinkedHashMap<>();
            Map<String, String> local = new LinkedHashMap<>();
            Optional<SessionManager> engine = ctx.engine().get();
            if (engine.isPresent()) {
                for (SessionInfo s : engine.get().sessions()) {
                    if (s.type() == SessionType.NORMAL && s.state() != SessionState.CLOSED) {
                        sids.computeIfAbsent(transportOf(s), t -> new ArrayList<>()).add(s.sid());
                        if (!s.connections().isEmpty() && !s.connections().get(0).localAddress().isEmpty()) {
                            local.putIfAbsent(transportOf(s), addressOnly(s.connections().get(0).localAddress()));
                        }
                    }
                }
            }
            List<HostInfo> out = new ArrayList<>();
            for (String t : transports) {
                out.add(new HostInfo(hostNumber(t), t, local.getOrDefault(t, ""), "", "", ctx.initiatorName().get(), sids.getOrDefault(t, List.of())));
            }
            out.sort(java.util.Comparator.comparingInt(HostInfo::number));
            return CompletableFuture.completedFuture(out);
        });
    }

    /**
     * The address of an endpoint as a transport writes it ({@code 127.0.0.1:35934}, {@code /127.0.0.1:35934},
     * {@code [::1]:35934}): a host has an address, its sessions' ports are their own.
     */
    static String addressOnly(String endpoint) {
        String e = endpoint.startsWith("/") ? endpoint.substring(1) : endpoint;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            return close > 0 ? e.substring(1, close) : e;
        }
        int colon = e.indexOf(':');
        return colon > 0 && colon == e.lastIndexOf(':') ? e.substring(0, colon) : e;
    }
}

package org.kiscsi.iscsid.internal.manage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.spi.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --login}, {@code -L} (whose leading logins {@link StartupLogin} orders), {@code --logout},
 * {@code -U}, {@code -m session -r N -u}: every login or logout started at once, one outcome each.
 * Records are read on a worker; the engine's stages never block anyone.
 */
final class LoginOps {
    private static final Logger LOG = LoggerFactory.getLogger(LoginOps.class);

    private final ManageContext ctx;
    private final LunScans scans;
    private final StartupLogin startup;

    LoginOps(ManageContext ctx, LunScans scans) {
        this.ctx = ctx;
        this.scans = scans;
        this.startup = new StartupLogin(ctx, this);
    }

    CompletionStage<List<Outcome<NodeKey>>> login(NodeSelector selector, boolean wait) {
        return Stages.on(ctx.workers(), () -> NodeOps.matchingOrFail(ctx.requireStore(), selector))
                .thenCompose(records -> loginRecords(records, wait));
    }

    /** {@code -L}: see {@link StartupLogin}. */
    CompletionStage<StartupLogins> loginAll(StartupFilter filter, boolean wait) {
        return startup.run(filter, wait);
    }

    /** As 2.1.8's match_startup_mode: node.startup or node.conn[0].startup. */
    static boolean selects(StartupFilter filter, RecordValues v) {
        return filter.selects(startup(v, NodeKeys.STARTUP)) || filter.selects(startup(v, NodeKeys.CONN_STARTUP));
    }

    private static String startup(RecordValues v, String key) {
        return v.get(key, "manual").trim().toLowerCase(Locale.ROOT);
    }

    /** Every record's login started at once; with {@code wait}, their outcomes when all are done. */
    CompletionStage<List<Outcome<NodeKey>>> loginRecords(List<NodeRecord> records, boolean wait) {
        SessionManager engine = ctx.requireEngine("login");
        Set<String> installed = ctx.transports().get();
        List<CompletableFuture<Outcome<NodeKey>>> logins = new ArrayList<>();
        List<Outcome<NodeKey>> started = new ArrayList<>();
        for (NodeRecord r : records) {
            String transport = transportOf(r.values());
            if (!installed.contains(transport)) {
                Outcome<NodeKey> o = Outcome.failed(r.key(), IscsiError.TRANS_NOT_FOUND, noTransport(r.iface(), transport, installed));
                logins.add(CompletableFuture.completedFuture(o));
                started.add(o);
                continue;
            }
            LOG.info("Logging in to [iface: {}, target: {}, portal: {}]", r.iface(), r.target(), r.portal().hostPort());
            CompletableFuture<Outcome<NodeKey>> login = Stages.guarded(() -> engine.login(r)).toCompletableFuture()
                    .thenCompose(s -> scans.afterLogin(s, r.values()).thenApply(v -> Outcome.ok(r.key())))
                    .exceptionally(t -> outcome(r, transport, installed, t));
            login.thenAccept(o -> LOG.info("Login to [iface: {}, target: {}, portal: {}]: {}", r.iface(), r.target(),
                    r.portal().hostPort(), o.isOk() ? "successful" : o.message()));
            logins.add(login);
            started.add(Outcome.ok(r.key()));
        }
        // -W: the logins run on; their results go to the log
        return wait ? Stages.all(logins) : CompletableFuture.completedFuture(started);
    }

    private static Outcome<NodeKey> outcome(NodeRecord r, String transport, Set<String> installed, Throwable t) {
        Throwable c = Stages.unwrap(t);
        if (c instanceof IscsiException e && e.error() == IscsiError.TRANS_NOT_FOUND) {
            return Outcome.failed(r.key(), IscsiError.TRANS_NOT_FOUND, noTransport(r.iface(), transport, installed));
        }
        return Stages.failed(r.key(), c);
    }

    static String transportOf(RecordValues v) {
        String t = v.get(NodeKeys.TRANSPORT_NAME, "").trim();
        return t.isEmpty() ? "tcp" : t;
    }

    static String noTransport(String iface, String transport, Set<String> installed) {
        return "iface " + iface + ": transport '" + transport + "' is not installed (installed: "
                + (installed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(installed))) + ")";
    }

    CompletionStage<List<Outcome<SessionInfo>>> logout(NodeSelector selector) {
        return Stages.guarded(() -> {
            SessionManager engine = ctx.requireEngine("logout");
            List<SessionInfo> victims = new ArrayList<>();
            for (SessionInfo s : live(engine)) {
                if (selector.matches(s.node())) {
                    victims.add(s);
                }
            }
            return logoutAll(engine, victims);
        });
    }

    CompletionStage<List<Outcome<SessionInfo>>> logoutAll(StartupFilter filter) {
        if (filter == StartupFilter.ONBOOT) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.INVAL, "Invalid logoutall option onboot."));
        }
        return Stages.on(ctx.workers(), () -> {
            SessionManager engine = ctx.requireEngine("logout");
            NodeStore store = ctx.requireStore();
            List<SessionInfo> victims = new ArrayList<>();
            for (SessionInfo s : live(engine)) {
                Optional<NodeRecord> r = store.node(s.node());
                // 2.1.8 skips sessions whose record it cannot read, and onboot records always
                if (r.isPresent() && !startup(r.get().values(), NodeKeys.STARTUP).equals("onboot")
                        && selects(filter, r.get().values())) {
                    victims.add(s);
                }
            }
            return victims;
        }).thenCompose(victims -> logoutAll(ctx.requireEngine("logout"), victims));
    }

    private CompletionStage<List<Outcome<SessionInfo>>> logoutAll(SessionManager engine, List<SessionInfo> victims) {
        if (victims.isEmpty()) {
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, "No matching sessions found");
        }
        List<CompletableFuture<Outcome<SessionInfo>>> outs = new ArrayList<>();
        for (SessionInfo s : victims) {
            outs.add(logoutOne(engine, s));
        }
        return Stages.all(outs);
    }

    private static CompletableFuture<Outcome<SessionInfo>> logoutOne(SessionManager engine, SessionInfo s) {
        LOG.info("Logging out of session [sid: {}, target: {}, portal: {}]", s.sid(), s.node().target(), s.portal().hostPort());
        return Stages.guarded(() -> engine.logout(s.sid())).toCompletableFuture()
                .thenApply(v -> Outcome.ok(s))
                .exceptionally(t -> Stages.failed(s, t));
    }

    CompletionStage<Outcome<SessionInfo>> logoutSession(long sid) {
        return Stages.guarded(() -> {
            SessionManager engine = ctx.requireEngine("logout");
            SessionInfo s = engine.session(sid).filter(x -> x.state() != SessionState.CLOSED)
                    .orElseThrow(() -> new IscsiException(IscsiError.SESS_NOT_FOUND, "Could not get session info for sid " + sid));
            return logoutOne(engine, s);
        });
    }

    static List<SessionInfo> live(SessionManager engine) {
        return engine.sessions().stream()
                .filter(s -> s.type() == SessionType.NORMAL && s.state() != SessionState.CLOSED).toList();
    }

    /**
     * The longest of the records' logins, or, when longer, {@code -L}'s: the longest ordinary login,
     * then the longest leading login of each iface in turn (see {@link StartupLogin}).
     */
    CompletionStage<Duration> worstCase(NodeSelector selector) {
        return Stages.on(ctx.workers(), () -> {
            NodeStore store = ctx.requireStore();
            List<NodeRecord> records = NodeOps.matching(store, selector);
            Duration any = Duration.ZERO;
            Duration ordinary = Duration.ZERO;
            for (NodeRecord r : records) {
                Duration d = worstCase(r.values());
                any = longer(any, d);
                ordinary = StartupLogin.isLeading(r.values()) ? ordinary : longer(ordinary, d);
            }
            Duration startup = ordinary;
            if (records.stream().anyMatch(r -> StartupLogin.isLeading(r.values()))) {
                for (IfaceRecord iface : StartupLogin.leadingIfaces(store)) {
                    Duration round = Duration.ZERO;
                    for (NodeRecord r : records) {
                        if (StartupLogin.isLeading(r.values()) && StartupLogin.through(iface, r)) {
                            round = longer(round, worstCase(r.values()));
                        }
                    }
                    startup = startup.plus(round);
                }
            }
            return longer(any, startup);
        });
    }

    private static Duration longer(Duration a, Duration b) {
        return b.compareTo(a) > 0 ? b : a;
    }

    /**
     * The engine's initial login loop at its longest: 1 + initial_login_retry_max attempts, each a
     * connect and a login exchange of up to login_timeout apiece (twice over for CHAP, which may log
     * in once more offering MD5 alone), min(2 s, login_timeout) between attempts, then the LUN scan
     * a login waits for. Redirections (each another connect and login) are not counted. The
     * defaults give 9 x 30 s + 8 x 2 s + 5 s = 291 s.
     */
    static Duration worstCase(RecordValues v) {
        long login = Math.max(1, number(v, NodeKeys.LOGIN_TIMEOUT, 15));
        long retries = Math.max(0, Math.min(1000, number(v, NodeKeys.INITIAL_LOGIN_RETRY_MAX, 8)));
        long attempt = 2 * login;
        if (v.get(NodeKeys.AUTH_METHOD, "None").trim().equalsIgnoreCase("CHAP")) {
            attempt *= 2;
        }
        Duration total = Duration.ofSeconds((retries + 1) * attempt).plusMillis(retries * Math.min(2000, login * 1000));
        return LunScans.scansAfterLogin(v) ? total.plus(LunScans.LOGIN_SCAN_WAIT) : total;
    }

    private static long number(RecordValues v, String key, long def) {
        try {
            return v.getInt(key, (int) def);
        } catch (IscsiException e) {
            return def; // the login will refuse the value itself
        }
    }
}

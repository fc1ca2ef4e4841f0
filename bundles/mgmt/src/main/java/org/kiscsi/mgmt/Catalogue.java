package org.kiscsi.mgmt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.manage.StartupLogins;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;

/**
 * Every operation of {@link IscsiManagement} as it travels, by wire name: the one table both
 * {@link RemoteManagement} (client) and {@link ManagementEndpoint} (daemon) are built from.
 * The daemon's own {@code stop} and {@code version} are not here: the daemon registers them by name.
 *
 * <p>Arguments: a node selector is {@code target}, {@code portal} ({@code ip:port,tpgt}, tpgt -1
 * for any) and {@code iface} (repeated); changes are {@code n}/{@code v} pairs in order; flags are
 * {@code yes}/{@code no}. Results: see {@link ValueCodecs} for the row form of each value.
 */
public final class Catalogue {
    private Catalogue() {
    }

    record SelectorFlag(NodeSelector selector, boolean flag) {
    }

    record SelectorChanges(NodeSelector selector, List<RecordChange> changes) {
    }

    record FilterFlag(StartupFilter filter, boolean flag) {
    }

    record NameChanges(String name, List<RecordChange> changes) {
    }

    record DiscoveryAddress(DiscoveryType type, Portal address) {
    }

    record DiscoveryChanges(DiscoveryType type, Portal address, List<RecordChange> changes) {
    }

    // --- argument codecs ---

    static void writeSelector(NodeSelector s, Fields.Writer w) {
        s.target().ifPresent(t -> w.put("target", t.value()));
        s.portal().ifPresent(p -> w.put("portal", p.toString()));
        s.ifaces().forEach(i -> w.put("iface", i));
    }

    static NodeSelector readSelector(Fields.Reader r) {
        return new NodeSelector(r.opt("target").map(IscsiName::of), r.opt("portal").map(Portal::parse), r.all("iface"));
    }

    static void writeChanges(List<RecordChange> changes, Fields.Writer w) {
        changes.forEach(c -> w.put("n", c.key()).put("v", c.value()));
    }

    /** Each {@code n} with the {@code v} that follows it, in order. */
    static List<RecordChange> readChanges(List<MgmtPair> args) {
        List<RecordChange> out = new ArrayList<>();
        String key = null;
        for (MgmtPair p : args) {
            if (p.key().equals("n")) {
                if (key != null) {
                    throw new IllegalArgumentException("-n " + key + " has no -v value");
                }
                key = p.value();
            } else if (p.key().equals("v")) {
                if (key == null) {
                    throw new IllegalArgumentException("a -v value without -n");
                }
                out.add(new RecordChange(key, p.value()));
                key = null;
            }
        }
        if (key != null) {
            throw new IllegalArgumentException("-n " + key + " has no -v value");
        }
        return out;
    }

    private static boolean flag(Fields.Reader r, String name, boolean dflt) {
        return r.has(name) ? r.bool(name) : dflt;
    }

    private interface Enc<A> {
        void write(A a, Fields.Writer w);
    }

    private interface Dec<A> {
        A read(Fields.Reader r, List<MgmtPair> all);
    }

    private static <A> ArgCodec<A> args(Enc<A> enc, Dec<A> dec) {
        return new ArgCodec<>() {
            public List<MgmtPair> encode(A a) {
                Fields.Writer w = new Fields.Writer();
                enc.write(a, w);
                return w.pairs();
            }

            public A decode(Fields.Reader r) {
                return dec.read(r, r.nested("").allPairs());
            }
        };
    }

    static final ArgCodec<Void> NO_ARGS = args((a, w) -> { }, (r, all) -> null);
    static final ArgCodec<NodeSelector> SELECTOR = args(Catalogue::writeSelector, (r, all) -> readSelector(r));
    /** The flag is omitted when it has its default ({@code wait}: yes, {@code secrets}: no). */
    static ArgCodec<SelectorFlag> selectorFlag(String name, boolean dflt) {
        return args((a, w) -> {
            writeSelector(a.selector(), w);
            if (a.flag() != dflt) {
                w.put(name, a.flag());
            }
        }, (r, all) -> new SelectorFlag(readSelector(r), flag(r, name, dflt)));
    }
    static final ArgCodec<SelectorChanges> SELECTOR_CHANGES = args((a, w) -> {
        writeSelector(a.selector(), w);
        writeChanges(a.changes(), w);
    }, (r, all) -> new SelectorChanges(readSelector(r), readChanges(all)));
    static final ArgCodec<FilterFlag> FILTER_WAIT = args((a, w) -> {
        w.put("filter", a.filter().name().toLowerCase(java.util.Locale.ROOT));
        if (!a.flag()) {
            w.put("wait", false);
        }
    }, (r, all) -> new FilterFlag(StartupFilter.parse(r.req("filter")), flag(r, "wait", true)));
    static final ArgCodec<StartupFilter> FILTER = args((a, w) -> w.put("filter", a.name().toLowerCase(java.util.Locale.ROOT)),
            (r, all) -> StartupFilter.parse(r.req("filter")));
    static final ArgCodec<Long> SID = args((a, w) -> w.put("sid", a), (r, all) -> r.num("sid"));
    static final ArgCodec<String> NAME = args((a, w) -> w.put("name", a), (r, all) -> r.req("name"));
    static final ArgCodec<NameChanges> NAME_CHANGES = args((a, w) -> {
        w.put("name", a.name());
        writeChanges(a.changes(), w);
    }, (r, all) -> new NameChanges(r.req("name"), readChanges(all)));
    static final ArgCodec<Boolean> SECRETS = args((a, w) -> {
        if (a) {
            w.put("secrets", true);
        }
    }, (r, all) -> flag(r, "secrets", false));
    static final ArgCodec<DiscoveryAddress> DISCOVERY = args((a, w) -> w.put("type", a.type().name())
            .put("address", a.address().toString()),
            (r, all) -> new DiscoveryAddress(r.enumValue("type", DiscoveryType.class), Portal.parse(r.req("address"))));
    static final ArgCodec<DiscoveryChanges> DISCOVERY_CHANGES = args((a, w) -> {
        w.put("type", a.type().name()).put("address", a.address().toString());
        writeChanges(a.changes(), w);
    }, (r, all) -> new DiscoveryChanges(r.enumValue("type", DiscoveryType.class), Portal.parse(r.req("address")),
            readChanges(all)));

    // --- the operations ---

    private static final Map<String, MgmtOperation<?, ?>> BY_NAME = new LinkedHashMap<>();

    private static <A, R> MgmtOperation<A, R> op(String name, int since, ArgCodec<A> args, ResultCodec<R> result,
            BiFunction<IscsiManagement, A, CompletionStage<R>> invoke) {
        return op(name, since, args, result, invoke, null, null);
    }

    private static <A, R> MgmtOperation<A, R> op(String name, int since, ArgCodec<A> args, ResultCodec<R> result,
            BiFunction<IscsiManagement, A, CompletionStage<R>> invoke,
            BiFunction<IscsiManagement, A, CompletionStage<Duration>> worstCase, String waitNote) {
        MgmtOperation<A, R> o = new MgmtOperation<>(name, since, args, result, invoke, worstCase, waitNote);
        if (BY_NAME.put(name, o) != null) {
            throw new IllegalStateException("operation " + name + " defined twice");
        }
        return o;
    }

    private static final ResultCodec<DaemonStatus> STATUS_RESULT = new ResultCodec<>() {
        private final ResultCodec<DaemonStatus> one = ResultCodec.one(ValueCodecs.DAEMON_STATUS);

        public List<MgmtRow> encode(DaemonStatus s) {
            return one.encode(s);
        }

        public DaemonStatus decode(List<MgmtRow> rows, String what) {
            return one.decode(rows, what);
        }

        public String message(DaemonStatus s) {
            return "iscsid is " + s.fields().getOrDefault("iscsid.state", "running");
        }
    };

    /** Protocol 1 had it with the same row: the daemon's fields verbatim. */
    static final MgmtOperation<Void, DaemonStatus> STATUS = op("status", 1, NO_ARGS, STATUS_RESULT,
            (m, a) -> m.status());
    static final MgmtOperation<SelectorFlag, List<NodeRecord>> NODES = op("node.list", 2, selectorFlag("secrets", false),
            ResultCodec.list(ValueCodecs.NODE_RECORD), (m, a) -> m.nodes(a.selector(), a.flag()));
    static final MgmtOperation<NodeSelector, List<Outcome<NodeKey>>> CREATE_NODES = op("node.new", 2, SELECTOR,
            ResultCodec.outcomes(ValueCodecs.NODE_KEY), IscsiManagement::createNodes);
    static final MgmtOperation<SelectorChanges, List<Outcome<NodeKey>>> UPDATE_NODES = op("node.update", 2,
            SELECTOR_CHANGES, ResultCodec.outcomes(ValueCodecs.NODE_KEY), (m, a) -> m.updateNodes(a.selector(), a.changes()));
    static final MgmtOperation<NodeSelector, List<Outcome<NodeKey>>> DELETE_NODES = op("node.delete", 2, SELECTOR,
            ResultCodec.outcomes(ValueCodecs.NODE_KEY), IscsiManagement::deleteNodes);
    static final MgmtOperation<SelectorFlag, List<Outcome<NodeKey>>> LOGIN = op("node.login", 2, selectorFlag("wait", true),
            ResultCodec.outcomes(ValueCodecs.NODE_KEY), (m, a) -> m.login(a.selector(), a.flag()),
            (m, a) -> m.loginWorstCase(a.selector()), "login");
    static final MgmtOperation<FilterFlag, StartupLogins> LOGIN_ALL = op("node.login-all", 2, FILTER_WAIT,
            ResultCodec.startupLogins(ValueCodecs.NODE_KEY), (m, a) -> m.loginAll(a.filter(), a.flag()),
            (m, a) -> m.loginWorstCase(NodeSelector.ALL), "login");
    static final MgmtOperation<NodeSelector, List<Outcome<SessionInfo>>> LOGOUT = op("node.logout", 2, SELECTOR,
            ResultCodec.outcomes(ValueCodecs.SESSION_INFO), IscsiManagement::logout);
    static final MgmtOperation<StartupFilter, List<Outcome<SessionInfo>>> LOGOUT_ALL = op("node.logout-all", 2, FILTER,
            ResultCodec.outcomes(ValueCodecs.SESSION_INFO), IscsiManagement::logoutAll);
    static final MgmtOperation<NodeSelector, Duration> LOGIN_WORST_CASE = op("node.login-worst-case", 2, SELECTOR,
            ResultCodec.one(ValueCodecs.DURATION), IscsiManagement::loginWorstCase);
    static final MgmtOperation<Void, List<SessionDetails>> SESSIONS = op("session.list", 2, NO_ARGS,
            ResultCodec.list(ValueCodecs.SESSION_DETAILS), (m, a) -> m.sessions());
    static final MgmtOperation<Long, SessionDetails> SESSION = op("session.show", 2, SID,
            ResultCodec.one(ValueCodecs.SESSION_DETAILS), IscsiManagement::session);
    static final MgmtOperation<Long, Outcome<SessionInfo>> LOGOUT_SESSION = op("session.logout", 2, SID,
            ResultCodec.outcome(ValueCodecs.SESSION_INFO), IscsiManagement::logoutSession);
    static final MgmtOperation<Long, List<Outcome<SessionInfo>>> RESCAN = op("session.rescan", 2, SID,
            ResultCodec.outcomes(ValueCodecs.SESSION_INFO), IscsiManagement::rescan);
    static final MgmtOperation<Long, SessionStatistics> STATISTICS = op("session.stats", 2, SID,
            ResultCodec.one(ValueCodecs.STATISTICS), IscsiManagement::statistics);
    static final MgmtOperation<Void, List<IfaceRecord>> IFACES = op("iface.list", 2, NO_ARGS,
            ResultCodec.list(ValueCodecs.IFACE_RECORD), (m, a) -> m.ifaces());
    static final MgmtOperation<String, IfaceRecord> IFACE = op("iface.show", 2, NAME,
            ResultCodec.one(ValueCodecs.IFACE_RECORD), IscsiManagement::iface);
    static final MgmtOperation<String, Outcome<String>> CREATE_IFACE = op("iface.new", 2, NAME,
            ResultCodec.outcome(ValueCodecs.NAME), IscsiManagement::createIface);
    static final MgmtOperation<NameChanges, Outcome<String>> UPDATE_IFACE = op("iface.update", 2, NAME_CHANGES,
            ResultCodec.outcome(ValueCodecs.NAME), (m, a) -> m.updateIface(a.name(), a.changes()));
    static final MgmtOperation<String, Outcome<String>> DELETE_IFACE = op("iface.delete", 2, NAME,
            ResultCodec.outcome(ValueCodecs.NAME), IscsiManagement::deleteIface);
    static final MgmtOperation<Void, List<HostInfo>> HOSTS = op("host.list", 2, NO_ARGS,
            ResultCodec.list(ValueCodecs.HOST), (m, a) -> m.hosts());
    static final MgmtOperation<Boolean, List<DiscoveryRecord>> DISCOVERY_RECORDS = op("discoverydb.list", 2, SECRETS,
            ResultCodec.list(ValueCodecs.DISCOVERY_RECORD), IscsiManagement::discoveryRecords);
    static final MgmtOperation<DiscoveryAddress, Outcome<Portal>> CREATE_DISCOVERY = op("discoverydb.new", 2, DISCOVERY,
            ResultCodec.outcome(ValueCodecs.ADDRESS), (m, a) -> m.createDiscoveryRecord(a.type(), a.address()));
    static final MgmtOperation<DiscoveryChanges, Outcome<Portal>> UPDATE_DISCOVERY = op("discoverydb.update", 2,
            DISCOVERY_CHANGES, ResultCodec.outcome(ValueCodecs.ADDRESS),
            (m, a) -> m.updateDiscoveryRecord(a.type(), a.address(), a.changes()));
    static final MgmtOperation<DiscoveryAddress, Outcome<Portal>> DELETE_DISCOVERY = op("discoverydb.delete", 2, DISCOVERY,
            ResultCodec.outcome(ValueCodecs.ADDRESS), (m, a) -> m.deleteDiscoveryRecord(a.type(), a.address()));

    /** Since management protocol 2 as well: a daemon without it answers "unknown request" (16). */
    static final MgmtOperation<DiscoveryCodecs.DiscoverArgs, AppliedDiscovery> DISCOVER = op("discovery.run", 2,
            DiscoveryCodecs.ARGS, DiscoveryCodecs.RESULT,
            (m, a) -> m.discover(a.type(), a.address(), a.settings(), a.ifaces(), a.ops()),
            (m, a) -> m.discoveryWorstCase(a.type(), a.address(), a.settings()), "discovery");
    static final MgmtOperation<DiscoveryCodecs.DiscoverArgs, Duration> DISCOVERY_WORST_CASE = op("discovery.worst-case", 2,
            DiscoveryCodecs.ARGS, ResultCodec.one(ValueCodecs.DURATION),
            (m, a) -> m.discoveryWorstCase(a.type(), a.address(), a.settings()));

    /** Every operation, in definition order. */
    public static List<MgmtOperation<?, ?>> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static Optional<MgmtOperation<?, ?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}

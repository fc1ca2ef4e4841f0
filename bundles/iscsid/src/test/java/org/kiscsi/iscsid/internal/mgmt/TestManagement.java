package org.kiscsi.iscsid.internal.mgmt;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.LunSummary;
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
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.ConnectionState;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.api.session.SessionType;

/** A management service with fixed, fully populated answers; it records what it was asked. */
final class TestManagement implements IscsiManagement {
    static final IscsiName TARGET = IscsiName.of("iqn.2026-11.org.kiscsi:t");
    static final NodeKey K1 = new NodeKey(TARGET, Portal.parse("127.0.0.1:3260,1"), "default");
    static final NodeKey K2 = new NodeKey(TARGET, Portal.parse("127.0.0.2:3260,1"), "default");
    static final NodeKey K3 = new NodeKey(TARGET, Portal.parse("[::1]:3261,2"), "eth1");
    static final NodeRecord RECORD = NodeRecord.create(K1, RecordValues.of(ordered("node.startup", "manual",
            "node.session.auth.authmethod", "CHAP", "node.session.auth.password", "s3cret")));
    static final IfaceRecord IFACE = new IfaceRecord("eth1", RecordValues.of(ordered("iface.iscsi_ifacename", "eth1",
            "iface.transport_name", "tcp")));
    static final SessionInfo SESSION = new SessionInfo(7, K1, SessionType.NORMAL, Isid.parse("023d00000001"), 5,
            SessionState.LOGGED_IN, RecoveryStage.NONE,
            List.of(new ConnectionInfo(0, ConnectionState.LOGGED_IN, "tcp", "127.0.0.1:40000", "127.0.0.1:3260",
                    Map.of("HeaderDigest", "None", "MaxRecvDataSegmentLength", "262144"))),
            Map.of("InitialR2T", "No", "MaxBurstLength", "262144"), "disk-alias", Instant.parse("2026-11-01T10:00:00.123Z"));
    static final StandardInquiry INQUIRY = new StandardInquiry(0, 0, false, 6, 2, true, false, false, 1, false, false,
            false, false, true, "IET", "VIRTUAL-DISK", "0001", List.of(0x60, 0x460));
    static final SessionDetails DETAILS = new SessionDetails(SESSION, Optional.of(RECORD), IFACE, 1, List.of(
            new LunSummary(0, new StandardInquiry(0, 0x0C, false, 5, 2, false, false, true, 0, false, false, false, false,
                    false, "IET", "Controller", "0001", List.of()), Optional.empty(), ""),
            new LunSummary(1, INQUIRY, Optional.of(new Capacity(2097152, 512, 3, 0, 0, true, true)), "")));
    static final SessionDetails BARE = new SessionDetails(new SessionInfo(8, K2, SessionType.DISCOVERY,
            Isid.parse("023d00000002"), 0, SessionState.RECOVERING, RecoveryStage.WAITING, List.of(), Map.of(), "",
            Instant.EPOCH), Optional.empty(), new IfaceRecord("default", RecordValues.empty()), 1, List.of());
    static final SessionStatistics STATS = new SessionStatistics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
            18, 19, 20, 21, orderedLongs("tcp.reads", 99L, "tcp.writes", 100L));
    static final DiscoveryRecord DISCOVERY = new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260"),
            RecordValues.of(ordered("discovery.startup", "manual", "discovery.sendtargets.auth.password", "pw")));

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Duration worstCase = Duration.ofSeconds(42);

    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Long> orderedLongs(String k1, long v1, String k2, long v2) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private <T> CompletionStage<T> answer(String call, T value) {
        calls.add(call);
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletionStage<DaemonStatus> status() {
        return answer("status", new DaemonStatus(ordered("iscsid.state", "running", "iscsid.pid", "4242")));
    }

    @Override
    public CompletionStage<List<NodeRecord>> nodes(NodeSelector selector, boolean withSecrets) {
        return answer("nodes " + selector + " " + withSecrets, List.of(RECORD, NodeRecord.create(K3, RecordValues.empty())));
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> createNodes(NodeSelector exact) {
        return answer("createNodes " + exact, List.of(Outcome.ok(K1)));
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> updateNodes(NodeSelector selector, List<RecordChange> changes) {
        return answer("updateNodes " + selector + " " + changes, List.of(Outcome.ok(K1), Outcome.ok(K2)));
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> deleteNodes(NodeSelector selector) {
        return answer("deleteNodes " + selector, List.of(Outcome.failed(K1, IscsiError.SESS_EXISTS, "record in use by session 7")));
    }

    @Override
    public CompletionStage<List<Outcome<NodeKey>>> login(NodeSelector selector, boolean wait) {
        if (selector.target().isPresent() && selector.target().get().value().endsWith(":none")) {
            calls.add("login " + selector);
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.NO_OBJS_FOUND, "No records found"));
        }
        return answer("login " + selector + " " + wait, List.of(Outcome.ok(K1),
                Outcome.failed(K2, IscsiError.TRANS_TIMEOUT, "connect to 127.0.0.2:3260 timed out"),
                Outcome.failed(K3, IscsiError.SESS_EXISTS, "eth1: 1 session requested, but 1 already present.")));
    }

    @Override
    public CompletionStage<StartupLogins> loginAll(StartupFilter filter, boolean wait) {
        return answer("loginAll " + filter + " " + wait, new StartupLogins(List.of(Outcome.ok(K2)),
                List.of(new StartupLogins.LeadingRound("eth1", List.of(Outcome.failed(new NodeKey(TARGET, K1.portal(), "eth1"),
                        IscsiError.TRANS_TIMEOUT, "no answer"))),
                        new StartupLogins.LeadingRound("eth2", List.of(Outcome.ok(new NodeKey(TARGET, K1.portal(), "eth2")),
                                Outcome.ok(new NodeKey(TARGET, K2.portal(), "eth2"))))),
                List.of(Outcome.failed(K2, IscsiError.FATAL_LOGIN, "No session to target"))));
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logout(NodeSelector selector) {
        return answer("logout " + selector, List.of(Outcome.ok(SESSION)));
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> logoutAll(StartupFilter filter) {
        return answer("logoutAll " + filter, List.of(Outcome.failed(SESSION, IscsiError.LOGOUT, "logout timed out")));
    }

    @Override
    public CompletionStage<Duration> loginWorstCase(NodeSelector selector) {
        return answer("loginWorstCase " + selector, worstCase);
    }

    @Override
    public CompletionStage<List<SessionDetails>> sessions() {
        return answer("sessions", List.of(DETAILS, BARE));
    }

    @Override
    public CompletionStage<SessionDetails> session(long sid) {
        if (sid != 7) {
            calls.add("session " + sid);
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESS_NOT_FOUND, "no session with sid " + sid));
        }
        return answer("session " + sid, DETAILS);
    }

    @Override
    public CompletionStage<Outcome<SessionInfo>> logoutSession(long sid) {
        return answer("logoutSession " + sid, Outcome.ok(SESSION));
    }

    @Override
    public CompletionStage<List<Outcome<SessionInfo>>> rescan(long sid) {
        return answer("rescan " + sid, List.of(Outcome.ok(SESSION)));
    }

    @Override
    public CompletionStage<SessionStatistics> statistics(long sid) {
        return answer("statistics " + sid, STATS);
    }

    @Override
    public CompletionStage<List<IfaceRecord>> ifaces() {
        return answer("ifaces", List.of(new IfaceRecord("default", RecordValues.empty()), IFACE));
    }

    @Override
    public CompletionStage<IfaceRecord> iface(String name) {
        return answer("iface " + name, IFACE);
    }

    @Override
    public CompletionStage<Outcome<String>> createIface(String name) {
        return answer("createIface " + name, Outcome.ok(name));
    }

    @Override
    public CompletionStage<Outcome<String>> updateIface(String name, List<RecordChange> changes) {
        return answer("updateIface " + name + " " + changes, Outcome.ok(name));
    }

    @Override
    public CompletionStage<Outcome<String>> deleteIface(String name) {
        return answer("deleteIface " + name, Outcome.failed(name, IscsiError.INVAL, "iface " + name + " is built in"));
    }

    @Override
    public CompletionStage<List<HostInfo>> hosts() {
        return answer("hosts", List.of(new HostInfo(1, "tcp", "127.0.0.1", "", "", TARGET.value(), List.of(7L, 8L)),
                new HostInfo(2, "iser", "", "", "", TARGET.value(), List.of())));
    }

    @Override
    public CompletionStage<List<DiscoveryRecord>> discoveryRecords(boolean withSecrets) {
        return answer("discoveryRecords " + withSecrets, List.of(DISCOVERY));
    }

    @Override
    public CompletionStage<Outcome<Portal>> createDiscoveryRecord(DiscoveryType type, Portal address) {
        return answer("createDiscoveryRecord " + type + " " + address, Outcome.ok(address));
    }

    @Override
    public CompletionStage<Outcome<Portal>> updateDiscoveryRecord(DiscoveryType type, Portal address, List<RecordChange> changes) {
        return answer("updateDiscoveryRecord " + type + " " + address + " " + changes, Outcome.ok(address));
    }

    @Override
    public CompletionStage<Outcome<Portal>> deleteDiscoveryRecord(DiscoveryType type, Portal address) {
        return answer("deleteDiscoveryRecord " + type + " " + address, Outcome.ok(address));
    }

    static final AppliedDiscovery APPLIED = new AppliedDiscovery(List.of(K1, K3), List.of(
            new NodeChange(K1, NodeChange.Kind.ADDED, IscsiError.OK, ""),
            new NodeChange(K3, NodeChange.Kind.KEPT, IscsiError.OK, ""),
            new NodeChange(K2, NodeChange.Kind.FAILED, IscsiError.SESS_EXISTS, "a session is using it")), true);
    volatile Duration discoveryWorstCase = Duration.ofSeconds(60);

    @Override
    public CompletionStage<AppliedDiscovery> discover(DiscoveryType type, Portal address, DiscoverySettings settings,
            List<String> ifaces, Set<DiscoveryOp> ops) {
        return answer("discover " + type + " " + address + " " + settings + " " + ifaces + " " + new java.util.TreeSet<>(ops),
                APPLIED);
    }

    @Override
    public CompletionStage<Duration> discoveryWorstCase(DiscoveryType type, Portal address, DiscoverySettings settings) {
        return answer("discoveryWorstCase " + type + " " + address + " " + settings, discoveryWorstCase);
    }
}

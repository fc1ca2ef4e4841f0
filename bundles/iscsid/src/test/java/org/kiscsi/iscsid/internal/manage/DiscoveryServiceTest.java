package org.kiscsi.iscsid.internal.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.auth.chap.ChapAuthenticatorFactory;
import org.kiscsi.discovery.sendtargets.SendTargetsDiscovery;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.discovery.DiscoveryProvider;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.target.TestTarget;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * Discovery through the daemon's management service: the real engine over TCP, the SendTargets
 * provider, CHAP, the file store, against the testkit's target and what it is told to answer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscoveryServiceTest {
    static final String ME = "iqn.2026-11.org.kiscsi.test:disco-initiator";
    static final String A = "iqn.2026-11.org.kiscsi.test:disco-a";
    static final String B = "iqn.2026-11.org.kiscsi.test:disco-b";
    static final RecordValues CONF = RecordValues.empty().with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "2")
            .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.NOOP_OUT_INTERVAL, "0").with(NodeKeys.STARTUP, "manual");
    /** iscsid.conf's discovery settings here: short waits. */
    static final RecordValues DISCOVERY_CONF = RecordValues.empty().with("discovery.sendtargets.timeo.login_timeout", "2")
            .with("discovery.sendtargets.timeo.auth_timeout", "2").with("discovery.sendtargets.timeo.active_timeout", "2");

    @TempDir
    Path root;
    TestTarget a;
    TestTarget b;
    TcpTransport tcp;
    IscsiEngine engine;
    FileNodeStore store;
    ExecutorService workers = Executors.newFixedThreadPool(4);
    volatile Optional<DiscoveryProvider> sendTargets = Optional.of(new SendTargetsDiscovery());
    volatile Set<String> transports = Set.of("tcp");
    ManagementService service;
    Portal st;

    @BeforeEach
    void start() throws Exception {
        a = TestTarget.start(A, 64);
        b = TestTarget.start(B, 64);
        tcp = new TcpTransport();
        engine = IscsiEngine.builder().initiatorName(ME).transport(tcp).authenticator(new ChapAuthenticatorFactory()).build();
        store = FileNodeStore.open(root);
        service = new ManagementService(new ManageContext(() -> Optional.of(store), () -> Optional.of(engine),
                Optional::empty, type -> type == DiscoveryType.SENDTARGETS ? sendTargets : Optional.empty(), () -> transports,
                () -> CONF, type -> DISCOVERY_CONF, () -> ME, () -> new DaemonStatus(Map.of()), root, workers));
        st = a.portal().withoutTpgt();
        answer(List.of(a.portal()), List.of(b.portal(), Portal.parse("[::1]:3999,2")));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        tcp.close();
        a.close();
        b.close();
        workers.shutdownNow();
        store.close();
    }

    /** Target A answers that A is at {@code atA} and B at {@code atB}. */
    void answer(List<Portal> atA, List<Portal> atB) {
        StringBuilder s = new StringBuilder("TargetName=" + A + "|");
        atA.forEach(p -> s.append("TargetAddress=").append(p.hostForUrl()).append(':').append(p.port()).append(',')
                .append(p.tpgt()).append('|'));
        if (!atB.isEmpty()) {
            s.append("TargetName=").append(B).append('|');
            atB.forEach(p -> s.append("TargetAddress=").append(p.hostForUrl()).append(':').append(p.port()).append(',')
                    .append(p.tpgt()).append('|'));
        }
        a.sendTargetsAnswer(s.toString());
    }

    AppliedDiscovery discover(Set<DiscoveryOp> ops, String... ifaces) throws Exception {
        return ManageFixture.await(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.ISCSID_CONF,
                List.of(ifaces), ops));
    }

    NodeKey key(String target, Portal p, String iface) {
        return new NodeKey(IscsiName.of(target), p, iface);
    }

    @Test
    void severalTargetsAndPortalsBecomeRecordsLinkedToTheirDiscoveryRecord() throws Exception {
        AppliedDiscovery d = discover(Set.of());
        Portal v6 = Portal.parse("[::1]:3999,2");
        assertEquals(List.of(key(A, a.portal(), "default"), key(B, b.portal(), "default"), key(B, v6, "default")), d.found(),
                "in the order the target listed them");
        assertEquals(3, d.changes(NodeChange.Kind.ADDED).size(), d.changes().toString());
        assertTrue(d.discoveryRecordWritten());
        assertEquals(IscsiError.OK, d.firstError());
        List<NodeRecord> nodes = store.nodes();
        assertEquals(3, nodes.size());
        for (NodeRecord r : nodes) {
            assertEquals("send_targets", r.values().get(NodeKeys.DISCOVERY_TYPE, ""), r.key().toString());
            assertEquals(st.address(), r.values().get(NodeKeys.DISCOVERY_ADDRESS, ""));
            assertEquals("3", r.values().get(NodeKeys.LOGIN_TIMEOUT, ""), "iscsid.conf's defaults");
        }
        assertEquals("2", store.discovery(DiscoveryType.SENDTARGETS, st).orElseThrow().values()
                .get("discovery.sendtargets.timeo.active_timeout", ""), "the discovery record from iscsid.conf's settings");
        assertTrue(Files.isDirectory(root.resolve("send_targets").resolve(st.address() + "," + st.port())));
        try (var links = Files.list(root.resolve("send_targets").resolve(st.address() + "," + st.port()))) {
            assertEquals(3, links.filter(Files::isSymbolicLink).count(), "one link per node record, as open-iscsi's");
        }
    }

    @Test
    void theDefaultModeKeepsAUsersSettingAndRemovesAVanishedPortal() throws Exception {
        discover(Set.of());
        NodeSelector aRecord = NodeSelector.of(key(A, a.portal(), "default"));
        assertTrue(ManageFixture.await(service.updateNodes(aRecord, List.of(new RecordChange(NodeKeys.STARTUP, "automatic"))))
                .get(0).isOk());
        answer(List.of(a.portal()), List.of(b.portal()));
        AppliedDiscovery d = discover(Set.of());
        assertEquals(List.of(key(B, Portal.parse("[::1]:3999,2"), "default")),
                d.changes(NodeChange.Kind.DELETED).stream().map(NodeChange::key).toList());
        assertEquals(2, store.nodes().size());
        assertEquals("automatic", store.node(key(A, a.portal(), "default")).orElseThrow().values().get(NodeKeys.STARTUP, ""),
                "an update keeps what the user changed");
    }

    @Test
    void eachOperationDoesItsOwnPart() throws Exception {
        discover(EnumSet.of(DiscoveryOp.NEW));
        assertEquals(3, store.nodes().size());
        answer(List.of(a.portal()), List.of());
        assertEquals(List.of(), discover(EnumSet.of(DiscoveryOp.NEW)).changes(NodeChange.Kind.DELETED), "new deletes nothing");
        assertEquals(3, store.nodes().size());
        AppliedDiscovery d = discover(EnumSet.of(DiscoveryOp.DELETE));
        assertEquals(2, d.changes(NodeChange.Kind.DELETED).size());
        assertEquals(List.of(key(A, a.portal(), "default")), store.nodes().stream().map(NodeRecord::key).toList());
    }

    @Test
    void nonpersistentWritesNothingNotEvenTheDiscoveryRecord() throws Exception {
        AppliedDiscovery d = discover(EnumSet.of(DiscoveryOp.NONPERSISTENT));
        assertEquals(3, d.found().size());
        assertEquals(List.of(), store.nodes());
        assertEquals(List.of(), store.discoveries());
        assertFalse(d.discoveryRecordWritten());
    }

    @Test
    void oneSetOfRecordsPerIfaceAndAnIfaceWhoseTransportIsMissingGives12BeforeAnythingIsAsked() throws Exception {
        ManageFixture.await(service.createIface("if1"));
        AppliedDiscovery d = discover(Set.of(), "default", "if1");
        assertEquals(6, d.found().size());
        assertEquals(3, store.nodes().stream().filter(r -> r.iface().equals("if1")).count());

        ManageFixture.await(service.updateIface("if1", List.of(new RecordChange(NodeKeys.TRANSPORT_NAME, "iser"))));
        int logins = a.logins();
        var e = ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.ISCSID_CONF,
                List.of("if1"), Set.of()));
        assertEquals(IscsiError.TRANS_NOT_FOUND, e.error());
        assertTrue(e.getMessage().contains("iface if1: transport 'iser' is not installed"), e.getMessage());
        assertEquals(logins, a.logins(), "no discovery session was opened");
        assertEquals(IscsiError.INVAL, ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st,
                DiscoverySettings.ISCSID_CONF, List.of("nosuch"), Set.of())).error());
    }

    @Test
    void anEmptyAnswerIsNoPortalsFoundAndChangesNothing() throws Exception {
        discover(Set.of());
        a.sendTargetsAnswer(new byte[0]);
        var e = ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.ISCSID_CONF,
                List.of(), Set.of()));
        assertEquals(IscsiError.NO_OBJS_FOUND, e.error());
        assertEquals("No portals found", e.getMessage());
        assertEquals(3, store.nodes().size(), "nothing deleted");
    }

    @Test
    void aBadAnswerWritesNothingAndNamesThePortal() throws Exception {
        a.sendTargetsAnswer("TargetName=" + A + "|TargetAddress=not a portal|");
        var e = ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.ISCSID_CONF,
                List.of(), Set.of()));
        assertTrue(e.getMessage().contains(st.hostPort()), e.getMessage());
        assertEquals(List.of(), store.nodes());
        assertEquals(List.of(), store.discoveries());
    }

    @Test
    void noDiscoveryMethodInstalled() throws Exception {
        var e = ManageFixture.failure(service.discover(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3205"),
                DiscoverySettings.STORED, List.of(), Set.of()));
        assertEquals(IscsiError.ISNS_UNAVAILABLE, e.error());
        assertTrue(e.getMessage().contains("no iSNS discovery installed"), e.getMessage());
        sendTargets = Optional.empty();
        e = ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.STORED, List.of(), Set.of()));
        assertEquals(IscsiError.OP_NOT_SUPP, e.error());
        assertTrue(e.getMessage().contains("kiscsi-discovery-sendtargets"), e.getMessage());
    }

    @Test
    void discoveryChapFromTheStoredRecordAndAWrongSecretIs24() throws Exception {
        a.requireDiscoveryChap("disc-user", "disc-secret-12345");
        ManageFixture.await(service.createDiscoveryRecord(DiscoveryType.SENDTARGETS, st));
        List<RecordChange> chap = List.of(new RecordChange("discovery.sendtargets.auth.authmethod", "CHAP"),
                new RecordChange("discovery.sendtargets.auth.username", "disc-user"),
                new RecordChange("discovery.sendtargets.auth.password", "wrong-secret-1234"));
        assertTrue(ManageFixture.await(service.updateDiscoveryRecord(DiscoveryType.SENDTARGETS, st, chap)).isOk());
        var e = ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.STORED, List.of(),
                Set.of()));
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, e.error(), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"), "no secret in messages");
        ManageFixture.await(service.updateDiscoveryRecord(DiscoveryType.SENDTARGETS, st,
                List.of(new RecordChange("discovery.sendtargets.auth.password", "disc-secret-12345"))));
        assertEquals(3, ManageFixture.await(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.STORED,
                List.of(), Set.of())).found().size());
        assertEquals("CHAP", store.discovery(DiscoveryType.SENDTARGETS, st).orElseThrow().values()
                .get("discovery.sendtargets.auth.authmethod", ""), "the stored record is used, and kept");
        assertEquals(IscsiError.LOGIN_AUTH_FAILED, ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st,
                DiscoverySettings.ISCSID_CONF, List.of(), Set.of())).error(), "discovery mode uses iscsid.conf's (no CHAP)");
    }

    @Test
    void theRecordsTimeoutsBoundTheDiscoveryAndTheWorstCase() throws Exception {
        assertEquals(Duration.ofSeconds(2 + 2 + 2), ManageFixture.await(service.discoveryWorstCase(DiscoveryType.SENDTARGETS,
                st, DiscoverySettings.ISCSID_CONF)));
        ManageFixture.await(service.createDiscoveryRecord(DiscoveryType.SENDTARGETS, st));
        ManageFixture.await(service.updateDiscoveryRecord(DiscoveryType.SENDTARGETS, st, List.of(
                new RecordChange("discovery.sendtargets.auth.authmethod", "CHAP"),
                new RecordChange("discovery.sendtargets.timeo.login_timeout", "1"),
                new RecordChange("discovery.sendtargets.timeo.auth_timeout", "1"),
                new RecordChange("discovery.sendtargets.timeo.active_timeout", "1"))));
        assertEquals(Duration.ofSeconds(1 + 1 + 2 * 1 + 1), ManageFixture.await(service.discoveryWorstCase(
                DiscoveryType.SENDTARGETS, st, DiscoverySettings.STORED)));
        ManageFixture.await(service.updateDiscoveryRecord(DiscoveryType.SENDTARGETS, st, List.of(
                new RecordChange("discovery.sendtargets.auth.authmethod", "None"))));
        a.stallTextAfter(0);
        long t0 = System.nanoTime();
        var e = ManageFixture.failure(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.STORED, List.of(),
                Set.of()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 6000, "bounded by the record's 1 s active_timeout (worst case 3 s), took " + ms + " ms: " + e);
        assertEquals(List.of(), store.nodes());
    }

    @Test
    void aStaleRecordASessionUsesStaysAndDeletingTheDiscoveryRecordKeepsItToo() throws Exception {
        answer(List.of(a.portal()), List.of(b.portal()));
        discover(Set.of());
        NodeKey bKey = key(B, b.portal(), "default");
        List<Outcome<NodeKey>> in = ManageFixture.await(service.login(NodeSelector.of(bKey), true));
        assertTrue(in.get(0).isOk(), in.toString());

        answer(List.of(a.portal()), List.of());
        AppliedDiscovery d = discover(Set.of());
        assertEquals(IscsiError.SESS_EXISTS, d.firstError());
        assertTrue(d.changes(NodeChange.Kind.FAILED).get(0).message().contains("but a session is using it"));
        assertTrue(store.node(bKey).isPresent());

        Outcome<Portal> del = ManageFixture.await(service.deleteDiscoveryRecord(DiscoveryType.SENDTARGETS, st));
        assertEquals(IscsiError.SESS_EXISTS, del.status());
        assertTrue(del.message().contains("target: " + B), del.message());
        assertTrue(store.discovery(DiscoveryType.SENDTARGETS, st).isPresent(), "kept with the record in use");
        assertEquals(List.of(bKey), store.nodes().stream().map(NodeRecord::key).toList(), "the unused one is gone");

        ManageFixture.await(service.logout(NodeSelector.of(bKey)));
        assertTrue(ManageFixture.await(service.deleteDiscoveryRecord(DiscoveryType.SENDTARGETS, st)).isOk());
        assertEquals(List.of(), store.nodes(), "2.1.8's delete takes the node records it found along");
        assertEquals(List.of(), store.discoveries());
    }

    @Test
    void discoveriesOfOneSourceRunOneAfterTheOther() throws Exception {
        List<CompletableFuture<AppliedDiscovery>> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(service.discover(DiscoveryType.SENDTARGETS, st, DiscoverySettings.ISCSID_CONF, List.of(), Set.of())
                    .toCompletableFuture());
        }
        int added = 0;
        for (CompletableFuture<AppliedDiscovery> f : all) {
            added += f.get(60, TimeUnit.SECONDS).changes(NodeChange.Kind.ADDED).size();
        }
        assertEquals(3, added, "the first one added the records, the later ones found them there");
        assertEquals(3, store.nodes().size());
    }
}

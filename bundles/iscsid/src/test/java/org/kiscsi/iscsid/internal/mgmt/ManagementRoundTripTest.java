package org.kiscsi.iscsid.internal.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.manage.DiscoverySettings;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.mgmt.Catalogue;
import org.kiscsi.mgmt.ManagementEndpoint;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtOperation;
import org.kiscsi.mgmt.MgmtProgress;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.mgmt.RemoteManagement;

/** Every catalogue operation: RemoteManagement, a real socket, the server and the endpoint, a test service, and back. */
class ManagementRoundTripTest {
    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final TestManagement service = new TestManagement();
    private MgmtServer server;
    private RemoteManagement remote;

    @BeforeEach
    void start() throws Exception {
        server = MgmtServer.bind(dir.resolve("run/iscsid.sock"), Duration.ofSeconds(2));
        ManagementEndpoint endpoint = new ManagementEndpoint(service, Duration.ofSeconds(3));
        server.start(endpoint, PeerCheck.rootAndOwnerOf(dir), workers, ServerLimits.defaults(Duration.ofSeconds(5)));
        remote = new RemoteManagement(new MgmtClient(server.socket(), MgmtClient.Waits.DEFAULT));
    }

    @AfterEach
    void stop() {
        server.close();
        workers.shutdownNow();
    }

    private <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String lastCall() {
        return service.calls.get(service.calls.size() - 1);
    }

    @Test
    void everyOperationCarriesItsArgumentsAndResultWhole() throws Exception {
        NodeSelector sel = new NodeSelector(Optional.of(TestManagement.TARGET), Optional.of(Portal.parse("127.0.0.1:3260")),
                List.of("default", "eth1"));
        assertEquals(TestManagement.DETAILS.info(), get(remote.sessions()).get(0).info());

        assertEquals("running", get(remote.status()).fields().get("iscsid.state"));
        assertEquals(List.of("iscsid.state", "iscsid.pid"), List.copyOf(get(remote.status()).fields().keySet()));
        assertEquals(List.of(TestManagement.RECORD, service.nodes(sel, true).toCompletableFuture().join().get(1)),
                get(remote.nodes(sel, true)));
        assertEquals("nodes " + sel + " true", lastCall(), "selector with two ifaces and the flag arrive");
        get(remote.nodes(NodeSelector.ALL, false));
        assertEquals("nodes " + NodeSelector.ALL + " false", lastCall());
        assertEquals(List.of(Outcome.ok(TestManagement.K1)), get(remote.createNodes(sel)));

        List<RecordChange> changes = List.of(new RecordChange("node.startup", "automatic"),
                new RecordChange("node.session.timeo.replacement_timeout", "10"), new RecordChange("node.startup", "manual"),
                new RecordChange("node.session.auth.password", ""));
        assertEquals(List.of(Outcome.ok(TestManagement.K1), Outcome.ok(TestManagement.K2)), get(remote.updateNodes(sel, changes)));
        assertEquals("updateNodes " + sel + " " + changes, lastCall(), "repeated -n/-v pairs survive, in order");

        assertEquals(service.deleteNodes(sel).toCompletableFuture().join(), get(remote.deleteNodes(sel)));
        assertEquals(service.loginAll(StartupFilter.ONBOOT, false).toCompletableFuture().join(),
                get(remote.loginAll(StartupFilter.ONBOOT, false)));
        assertEquals("loginAll ONBOOT false", lastCall());
        assertEquals(service.logout(sel).toCompletableFuture().join(), get(remote.logout(sel)));
        assertEquals(service.logoutAll(StartupFilter.MANUAL).toCompletableFuture().join(), get(remote.logoutAll(StartupFilter.MANUAL)));
        assertEquals(Duration.ofSeconds(42), get(remote.loginWorstCase(sel)));
        assertEquals(List.of(TestManagement.DETAILS, TestManagement.BARE), get(remote.sessions()));
        assertEquals(TestManagement.DETAILS, get(remote.session(7)));
        assertEquals(Outcome.ok(TestManagement.SESSION), get(remote.logoutSession(7)));
        assertEquals(List.of(Outcome.ok(TestManagement.SESSION)), get(remote.rescan(-1)));
        assertEquals("rescan -1", lastCall());
        assertEquals(TestManagement.STATS, get(remote.statistics(7)));
        assertEquals(service.ifaces().toCompletableFuture().join(), get(remote.ifaces()));
        assertEquals(TestManagement.IFACE, get(remote.iface("eth1")));
        assertEquals(Outcome.ok("eth1"), get(remote.createIface("eth1")));
        assertEquals(Outcome.ok("eth1"), get(remote.updateIface("eth1", changes.subList(0, 2))));
        assertEquals("updateIface eth1 " + changes.subList(0, 2), lastCall());
        assertEquals(Outcome.failed("default", IscsiError.INVAL, "iface default is built in"), get(remote.deleteIface("default")));
        assertEquals(service.hosts().toCompletableFuture().join(), get(remote.hosts()));
        assertEquals(List.of(TestManagement.DISCOVERY), get(remote.discoveryRecords(true)));
        Portal p = Portal.parse("127.0.0.1:3260");
        assertEquals(Outcome.ok(p), get(remote.createDiscoveryRecord(DiscoveryType.ISNS, p)));
        assertEquals("createDiscoveryRecord isns " + p, lastCall());
        assertEquals(Outcome.ok(p), get(remote.updateDiscoveryRecord(DiscoveryType.SENDTARGETS, p, changes)));
        assertEquals(Outcome.ok(p), get(remote.deleteDiscoveryRecord(DiscoveryType.SENDTARGETS, p)));
        Portal v6 = Portal.parse("[::1]:3261");
        assertEquals(TestManagement.APPLIED, get(remote.discover(DiscoveryType.SENDTARGETS, v6, DiscoverySettings.STORED,
                List.of("default", "eth1"), EnumSet.of(DiscoveryOp.UPDATE, DiscoveryOp.NEW))));
        assertEquals("discover sendtargets " + v6 + " STORED [default, eth1] [NEW, UPDATE]", lastCall(),
                "the address, settings, ifaces in order and the ops arrive");
        assertEquals(TestManagement.APPLIED, get(remote.discover(DiscoveryType.ISNS, p, DiscoverySettings.ISCSID_CONF,
                List.of(), Set.of())));
        assertEquals("discover isns " + p + " ISCSID_CONF [] []", lastCall(), "no ops: the defaults, decided by the service");
        assertEquals(Duration.ofSeconds(60), get(remote.discoveryWorstCase(DiscoveryType.SENDTARGETS, p,
                DiscoverySettings.ISCSID_CONF)));

        Set<String> asked = new TreeSet<>();
        for (String c : service.calls) {
            asked.add(c.split(" ")[0]);
        }
        asked.add("login"); // the next test's
        assertEquals(Catalogue.all().size(), asked.size(), "every catalogue operation is exercised: " + asked);
    }

    @Test
    void aLoginOfThreeRecordsCarriesEachOutcomeAndAnnouncesItsWorstCase() throws Exception {
        NodeSelector sel = new NodeSelector(Optional.of(TestManagement.TARGET), Optional.empty(), List.of());
        List<Outcome<NodeKey>> got = get(remote.login(sel, true));
        assertEquals(service.login(sel, true).toCompletableFuture().join(), got);
        assertEquals(List.of(IscsiError.OK, IscsiError.TRANS_TIMEOUT, IscsiError.SESS_EXISTS),
                got.stream().map(Outcome::status).toList());
        assertTrue(service.calls.contains("loginWorstCase " + sel), service.calls.toString());

        List<MgmtProgress> progress = new ArrayList<>();
        MgmtResponse raw = new MgmtClient(server.socket(), MgmtClient.Waits.DEFAULT)
                .call(new MgmtRequest(2, "node.login", List.of(new org.kiscsi.mgmt.MgmtPair("target", TestManagement.TARGET.value()))),
                        progress::add);
        assertTrue(raw.isOk());
        assertEquals(3, raw.table().size());
        assertEquals(List.of(0, 8, 15), raw.table().stream().map(r -> r.status()).toList(), "a status per row");
        assertEquals(1, progress.size(), progress.toString());
        assertEquals(Duration.ofSeconds(45), progress.get(0).dueWithin(), "the worst case plus the daemon's margin");
    }

    @Test
    void aDiscoveryAnnouncesItsRecordsWorstCaseBeforeItRuns() throws Exception {
        service.discoveryWorstCase = Duration.ofSeconds(150);
        List<MgmtProgress> progress = new ArrayList<>();
        MgmtResponse raw = new MgmtClient(server.socket(), MgmtClient.Waits.DEFAULT)
                .call(new MgmtRequest(2, "discovery.run", List.of(new org.kiscsi.mgmt.MgmtPair("type", "SENDTARGETS"),
                        new org.kiscsi.mgmt.MgmtPair("address", "127.0.0.1:3260"),
                        new org.kiscsi.mgmt.MgmtPair("settings", "STORED"))), progress::add);
        assertTrue(raw.isOk(), raw.message());
        assertEquals(List.of(0, 0, 0, 0, 15, 0), raw.table().stream().map(r -> r.status()).toList(),
                "two found, three changes (one failed), the discovery-record row");
        assertEquals(1, progress.size(), progress.toString());
        assertEquals(Duration.ofSeconds(153), progress.get(0).dueWithin(), "the worst case plus the daemon's margin");
        assertEquals("discovery", progress.get(0).note());
        assertTrue(service.calls.contains("discoveryWorstCase sendtargets " + Portal.parse("127.0.0.1:3260") + " STORED"),
                service.calls.toString());
        assertTrue(Catalogue.byName("discovery.run").orElseThrow().announcesWorstCase());
    }

    @Test
    void anErrorAnswerIsAnIscsiExceptionWithTheDaemonsCodeAndMessage() {
        CompletionException e = assertThrows(CompletionException.class, () -> remote.session(99).toCompletableFuture().join());
        IscsiException i = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.SESS_NOT_FOUND, i.error());
        assertEquals("no session with sid 99", i.getMessage());

        NodeSelector none = new NodeSelector(Optional.of(org.kiscsi.api.IscsiName.of("iqn.2026-11.org.kiscsi:none")),
                Optional.empty(), List.of());
        e = assertThrows(CompletionException.class, () -> remote.login(none, true).toCompletableFuture().join());
        assertEquals(IscsiError.NO_OBJS_FOUND, ((IscsiException) e.getCause()).error());
    }

    @Test
    void theCatalogueNamesEachOperationOnce() {
        Set<String> names = new TreeSet<>();
        for (MgmtOperation<?, ?> op : Catalogue.all()) {
            assertTrue(names.add(op.name()), op.name());
        }
        assertEquals(27, names.size(), names.toString());
        assertTrue(Catalogue.byName("node.login").orElseThrow().isLogin());
        assertEquals(1, Catalogue.byName("status").orElseThrow().since());
    }

    @Test
    void anOperationNobodyRegisteredIsRefusedByName() throws Exception {
        MgmtResponse r = new MgmtClient(server.socket(), MgmtClient.Waits.DEFAULT)
                .call(new MgmtRequest(MgmtProtocol.VERSION, "reboot", java.util.Map.of()));
        assertEquals(IscsiError.INVALID_MGMT_REQ.code(), r.status());
        assertEquals("unknown request 'reboot'", r.message());
    }
}

package org.kiscsi.iscsid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.iscsid.internal.sessions.FakeSessionManager;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreException;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.store.memory.MemoryNodeStore;

/** The daemon outside OSGi: real files, a real management socket, providers bound and unbound by hand. */
class DaemonTest {
    @TempDir
    Path home;

    private final Providers providers = new Providers();
    private final List<String> exits = new CopyOnWriteArrayList<>();
    private final DaemonExit exit = new DaemonExit() {
        @Override
        public void fatal(IscsiError error, String reason) {
            exits.add("fatal " + error + ": " + reason);
        }

        @Override
        public void stop() {
            exits.add("stop");
        }
    };
    private final MemoryNodeStore records = new MemoryNodeStore("test records");
    private Daemon daemon;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(home.resolve("etc/iscsi"));
        Files.writeString(home.resolve("etc/iscsi/iscsid.conf"), "node.startup = manual\nnode.session.cmds_max = 64\n");
        Files.writeString(home.resolve("etc/iscsi/initiatorname.iscsi"), "InitiatorName=iqn.2016-04.com.open-iscsi:0123456789ab\n");
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    /** A provider handing out the test's memory store, or failing as a broken database would. */
    static NodeStoreProvider provider(String name, NodeStore store) {
        return new NodeStoreProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public NodeStore open(Path root) {
                if (store == null) {
                    throw new NodeStoreException(root + "/nodes: record directory is unreadable");
                }
                return store;
            }
        };
    }

    private Daemon daemon(RunFlags flags) {
        IscsidConfig cfg = org.kiscsi.iscsid.internal.TestConfigs.defaults();
        DaemonSettings s = DaemonSettings.resolve(cfg, flags, home, home.resolve("etc"), home.resolve("data"), "9.9.9-test");
        daemon = new Daemon(s, providers, exit, home.resolve("no-proc"));
        return daemon;
    }

    private Daemon daemon() {
        return daemon(new RunFlags(false, Optional.empty(), Optional.empty(), false, 0, Optional.empty()));
    }

    private MgmtResponse call(MgmtOp op) throws Exception {
        return call(MgmtRequest.of(op));
    }

    private MgmtResponse call(MgmtRequest r) throws Exception {
        return new MgmtClient(home.resolve("run/iscsid.sock"), Duration.ofSeconds(5)).call(r);
    }

    private static Map<String, String> row(MgmtResponse r) {
        return r.rows().get(0);
    }

    private static boolean eventually(BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 200 && !c.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        return c.getAsBoolean();
    }

    @Test
    void startsAndAnswersStatusAndVersion() throws Exception {
        providers.addStore(provider("memory", records));
        daemon().start();
        MgmtResponse status = call(MgmtOp.STATUS);
        assertTrue(status.isOk(), status.message());
        Map<String, String> s = row(status);
        assertEquals("running", s.get("iscsid.state"));
        assertEquals(Long.toString(ProcessHandle.current().pid()), s.get("iscsid.pid"));
        assertEquals("9.9.9-test", s.get("iscsid.version"));
        assertEquals("iqn.2016-04.com.open-iscsi:0123456789ab", s.get("initiator.name"));
        assertEquals("open", s.get("node_store.state"));
        assertEquals(home.resolve("etc/iscsi").toString(), s.get("node_store.root"), "the node database lives beside iscsid.conf");
        assertEquals("memory", s.get("providers.node_store"));
        assertEquals("absent", s.get("providers.session_engine"));
        assertEquals("none", s.get("providers.discovery"));
        assertEquals("none (not started by bin/iscsid)", s.get("iscsid.pid_file"));

        Map<String, String> v = row(call(MgmtOp.VERSION));
        assertEquals("9.9.9-test", v.get("iscsid.version"));
        assertEquals(Integer.toString(org.kiscsi.mgmt.MgmtProtocol.VERSION), v.get("mgmt.protocol.version"));
    }

    @Test
    void sessionRequestsSayThereIsNoSessionEngine() throws Exception {
        records.putNode(NodeRecord.create(new NodeKey(IscsiName.of("iqn.2001-04.com.example:t"),
                Portal.parse("127.0.0.1:3260,1"), null), RecordValues.empty()));
        providers.addStore(provider("memory", records));
        daemon().start();
        for (MgmtOp op : List.of(MgmtOp.LOGIN, MgmtOp.LOGOUT, MgmtOp.SESSION_LIST)) {
            MgmtResponse r = call(MgmtRequest.of(op, Map.of("target", "iqn.2001-04.com.example:t")));
            assertEquals(IscsiError.OP_NOT_SUPP.code(), r.status(), op.toString());
            assertTrue(r.message().endsWith("no session engine installed"), r.message());
        }
    }

    @Test
    void stopAnswersThenAsksTheProcessToEnd() throws Exception {
        providers.addStore(provider("memory", records));
        daemon().start();
        MgmtResponse r = call(MgmtOp.STOP);
        assertTrue(r.isOk());
        assertEquals(Long.toString(ProcessHandle.current().pid()), row(r).get("iscsid.pid"));
        assertTrue(eventually(() -> exits.contains("stop")), exits.toString());
        daemon.stop();
        assertFalse(Files.exists(home.resolve("run/iscsid.sock")), "the socket is removed at stop");
    }

    @Test
    void aStoreThatExistsButCannotBeOpenedIsFatalAtStartUp() {
        providers.addStore(provider("memory", null));
        DaemonStartException e = assertThrows(DaemonStartException.class, () -> daemon().start());
        assertEquals(IscsiError.IDBM, e.error());
        assertTrue(e.getMessage().contains("node store 'memory' at " + home.resolve("etc/iscsi") + " cannot be opened"), e.getMessage());
        assertTrue(e.getMessage().contains("record directory is unreadable"), e.getMessage());
        assertFalse(Files.exists(home.resolve("run/iscsid.sock")), "nothing left behind");
    }

    @Test
    void aMalformedConfigIsFatalNamingFileAndLine() throws Exception {
        providers.addStore(provider("memory", records));
        Files.writeString(home.resolve("etc/iscsi/iscsid.conf"), "node.startup = manual\nnode.session.cmds_max\n");
        DaemonStartException e = assertThrows(DaemonStartException.class, () -> daemon().start());
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().contains(home.resolve("etc/iscsi/iscsid.conf") + ":2:"), e.getMessage());
    }

    @Test
    void providersComingAndGoingDegradeTheDaemonNeverStopIt() throws Exception {
        daemon().start();
        Map<String, String> s = row(call(MgmtOp.STATUS));
        assertEquals("degraded (node store 'memory' is not installed)", s.get("iscsid.state"));
        assertEquals("none", s.get("providers.node_store"));

        NodeStoreProvider memory = provider("memory", records);
        providers.addStore(memory);
        assertTrue(eventually(() -> daemon.stateText().equals("running")), daemon.stateText());

        providers.removeStore(memory);
        assertTrue(eventually(() -> daemon.stateText().startsWith("degraded")), daemon.stateText());
        s = row(call(MgmtOp.STATUS));
        assertEquals("degraded (node store 'memory' went away)", s.get("iscsid.state"));
        assertEquals("none", s.get("providers.node_store"));

        providers.addStore(provider("file", records));
        assertTrue(eventually(() -> {
            try {
                return row(call(MgmtOp.STATUS)).get("providers.node_store").equals("file");
            } catch (Exception e) {
                return false;
            }
        }));
        assertTrue(daemon.stateText().startsWith("degraded"), "another store is not the configured one");
    }

    @Test
    void aMissingInitiatorNameFileWarnsAndTheDaemonRuns() throws Exception {
        providers.addStore(provider("memory", records));
        Path missing = home.resolve("nowhere/initiatorname.iscsi");
        daemon(new RunFlags(true, Optional.empty(), Optional.of(missing), true, 1, Optional.of(""))).start();
        Map<String, String> s = row(call(MgmtOp.STATUS));
        assertEquals("running", s.get("iscsid.state"));
        assertEquals("<not set>", s.get("initiator.name"));
        assertEquals(missing.toString(), s.get("iscsid.initiatorname_file"));
        assertEquals("none (-n)", s.get("iscsid.pid_file"));
        assertTrue(daemon.identity().orElseThrow().warnings().get(0).contains("logins and discovery may fail"));
    }

    @Test
    void aSecondDaemonOnTheSameSocketRefusesAndTheFirstGoesOn() throws Exception {
        providers.addStore(provider("memory", records));
        daemon().start();
        Daemon first = daemon;
        Daemon second = new Daemon(first.settings(), new Providers(), exit, home);
        DaemonStartException e = assertThrows(DaemonStartException.class, second::start);
        assertTrue(e.getMessage().contains("another iscsid (pid " + ProcessHandle.current().pid() + ") answers on"), e.getMessage());
        assertEquals("running", row(call(MgmtOp.STATUS)).get("iscsid.state"));
    }

    @Test
    void reSyncsAutoLogsInAndLogsOutPolitelyAtShutdownKeepingTheList() throws Exception {
        NodeKey auto = new NodeKey(IscsiName.of("iqn.2001-04.com.example:auto"), Portal.parse("127.0.0.1:3260,1"), null);
        records.putNode(NodeRecord.create(auto, RecordValues.empty()).with(NodeKeys.STARTUP, "automatic"));
        NodeKey manual = new NodeKey(IscsiName.of("iqn.2001-04.com.example:manual"), Portal.parse("127.0.0.1:3260,1"), null);
        records.putNode(NodeRecord.create(manual, RecordValues.empty()));
        providers.addStore(provider("memory", records));
        daemon().start();
        assertEquals("absent", row(call(MgmtOp.STATUS)).get("providers.session_engine"));

        FakeSessionManager engine = new FakeSessionManager();
        providers.setSessions(engine);
        providers.addTransport(FakeSessionManager.tcp());
        assertTrue(eventually(() -> engine.sessions().size() == 1), engine.calls.toString());
        assertEquals(List.of("login " + auto), engine.calls);

        MgmtResponse login = call(MgmtRequest.of(MgmtOp.LOGIN, Map.of("target", manual.target().value(), "portal", "127.0.0.1:3260")));
        assertTrue(login.isOk(), login.message());
        assertEquals(manual.target().value(), row(login).get("target"));
        MgmtResponse list = call(MgmtOp.SESSION_LIST);
        assertEquals(2, list.rows().size());
        assertEquals("2", row(call(MgmtOp.STATUS)).get("sessions"));
        Path resync = home.resolve("data/iscsid/sessions.resync");
        assertTrue(eventually(() -> {
            try {
                return Files.readString(resync).contains(":manual");
            } catch (java.io.IOException e) {
                return false;
            }
        }));

        daemon.stop();
        assertTrue(engine.sessions().isEmpty(), "sessions are logged out at shutdown");
        assertEquals(0, engine.listenerCount());
        String kept = Files.readString(resync);
        assertTrue(kept.contains("iqn.2001-04.com.example:auto 127.0.0.1:3260,1 default"), kept);
        assertTrue(kept.contains("iqn.2001-04.com.example:manual 127.0.0.1:3260,1 default"), kept);
    }

    @Test
    void theRecordSourceReadsTheStoreAsItIsAtEachCallAndIsEmptyWithoutAStore() throws Exception {
        NodeKey key = new NodeKey(IscsiName.of("iqn.2001-04.com.example:chap"), Portal.parse("127.0.0.1:3260,1"), null);
        SharedRecordsProvider memory = new SharedRecordsProvider("memory");
        memory.records.putNode(NodeRecord.create(key, RecordValues.empty()).with("node.session.auth.password", "first-secret"));
        daemon().start();
        org.kiscsi.api.session.NodeRecordSource source = daemon.recordSource();
        assertTrue(source.node(key).isEmpty(), "no store installed yet: no record");

        providers.addStore(memory);
        assertTrue(eventually(() -> source.node(key).isPresent()), "the store appeared after the source was handed out");
        assertEquals(Optional.of("first-secret"), source.node(key).orElseThrow().values().get("node.session.auth.password"));

        memory.records.putNode(NodeRecord.create(key, RecordValues.empty()).with("node.session.auth.password", "changed-secret"));
        assertEquals(Optional.of("changed-secret"), source.node(key).orElseThrow().values().get("node.session.auth.password"),
                "a record changed after the source was registered reads as it is now");
        NodeKey other = new NodeKey(IscsiName.of("iqn.2001-04.com.example:other"), Portal.parse("127.0.0.1:3260,1"), null);
        assertTrue(source.node(other).isEmpty(), "a record the store does not have");

        providers.removeStore(memory);
        assertTrue(eventually(() -> source.node(key).isEmpty()), "the store went away: no record");
        assertTrue(memory.last().isClosed());
    }

    @Test
    void aSecondLoginOfARecordThatIsUpAnswersSessExistsAndTouchesNothing() throws Exception {
        NodeKey one = new NodeKey(IscsiName.of("iqn.2001-04.com.example:one"), Portal.parse("127.0.0.1:3260,1"), null);
        records.putNode(NodeRecord.create(one, RecordValues.empty()));
        providers.addStore(provider("memory", records));
        FakeSessionManager engine = new FakeSessionManager();
        providers.setSessions(engine);
        providers.addTransport(FakeSessionManager.tcp());
        daemon().start();
        MgmtRequest login = MgmtRequest.of(MgmtOp.LOGIN, Map.of("target", one.target().value(), "portal", "127.0.0.1:3260"));
        assertTrue(call(login).isOk());

        MgmtResponse again = call(login);
        assertEquals(15, again.status());
        assertEquals("default: 1 session requested, but 1 already present.", again.message());
        assertEquals("15", row(again).get("status"));
        assertEquals(1, engine.sessions().size(), "the session that is up is left alone");
    }

    @Test
    void aLoginOfSeveralRecordsLogsInTheOthersWhenSomeAreUp() throws Exception {
        NodeKey a = new NodeKey(IscsiName.of("iqn.2001-04.com.example:multi"), Portal.parse("127.0.0.1:3260,1"), null);
        NodeKey b = new NodeKey(IscsiName.of("iqn.2001-04.com.example:multi"), Portal.parse("127.0.0.2:3260,1"), null);
        records.putNode(NodeRecord.create(a, RecordValues.empty()));
        records.putNode(NodeRecord.create(b, RecordValues.empty()));
        providers.addStore(provider("memory", records));
        FakeSessionManager engine = new FakeSessionManager();
        providers.setSessions(engine);
        providers.addTransport(FakeSessionManager.tcp());
        daemon().start();
        assertTrue(call(MgmtRequest.of(MgmtOp.LOGIN, Map.of("target", a.target().value(), "portal", "127.0.0.1:3260"))).isOk());

        MgmtResponse both = call(MgmtRequest.of(MgmtOp.LOGIN, Map.of("target", a.target().value())));
        assertEquals(15, both.status(), both.message());
        assertEquals(2, engine.sessions().size(), "the record that was down is logged in");
        Map<String, Map<String, String>> byPortal = new java.util.HashMap<>();
        both.rows().forEach(r -> byPortal.put(r.get("portal"), r));
        assertEquals("15", byPortal.get("127.0.0.1:3260,1").get("status"));
        assertEquals("default: 1 session requested, but 1 already present.", byPortal.get("127.0.0.1:3260,1").get("message"));
        assertEquals("LOGGED_IN", byPortal.get("127.0.0.2:3260,1").get("state"));
    }
}

package org.kiscsi.iscsid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

/** A changed node.store swaps the daemon's store while it runs: sessions stay, status follows. */
class DaemonStoreSwapTest {
    private static final NodeKey DISK = new NodeKey(IscsiName.of("iqn.2001-04.com.example:disk"), Portal.parse("127.0.0.1:3260,1"), null);

    @TempDir
    Path home;

    private final Providers providers = new Providers();
    private final SharedRecordsProvider file = new SharedRecordsProvider("file");
    private final SharedRecordsProvider memory = new SharedRecordsProvider("memory");
    private final FakeSessionManager engine = new FakeSessionManager();
    private Daemon daemon;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(home.resolve("etc/iscsi"));
        Files.writeString(home.resolve("etc/iscsi/iscsid.conf"), "node.startup = manual\n");
        Files.writeString(home.resolve("etc/iscsi/initiatorname.iscsi"), "InitiatorName=iqn.2016-04.com.open-iscsi:0123456789ab\n");
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private Daemon start(String store) throws DaemonStartException {
        IscsidConfig cfg = TestConfigs.defaults();
        DaemonSettings s = DaemonSettings.resolve(cfg, new RunFlags(false, Optional.empty(), Optional.empty(), false, 0,
                Optional.empty()), home, home.resolve("etc"), home.resolve("data"), "9.9.9-test");
        s = new DaemonSettings(s.version(), s.configFile(), s.initiatorNameFile(), s.socket(), store, s.resyncFile(), s.flags(),
                s.requestTimeout(), s.shutdownLogoutTimeout(), s.discoveryTimeout());
        daemon = new Daemon(s, providers, new DaemonExit() {
            @Override
            public void fatal(IscsiError error, String reason) {
            }

            @Override
            public void stop() {
            }
        }, home.resolve("no-proc"));
        daemon.start();
        return daemon;
    }

    private MgmtResponse call(MgmtRequest r) throws Exception {
        return new MgmtClient(home.resolve("run/iscsid.sock"), Duration.ofSeconds(5)).call(r);
    }

    private Map<String, String> status() throws Exception {
        return call(MgmtRequest.of(MgmtOp.STATUS)).rows().get(0);
    }

    private MgmtResponse login(NodeKey key) throws Exception {
        return call(MgmtRequest.of(MgmtOp.LOGIN, Map.of("target", key.target().value(), "portal", key.portal().hostPort())));
    }

    @Test
    void swappingFileToMemoryAndBackKeepsTheSessionAndUsesEachStoresRecords() throws Exception {
        file.records.putNode(NodeRecord.create(DISK, RecordValues.empty()));
        providers.addStore(file);
        providers.addStore(memory);
        providers.setSessions(engine);
        providers.addTransport(FakeSessionManager.tcp());
        start("file");
        assertTrue(login(DISK).isOk());
        assertEquals("file", status().get("node_store.name"));
        assertEquals("1", status().get("sessions"));

        daemon.swapStore("memory");
        Map<String, String> s = status();
        assertEquals("memory", s.get("node_store.name"));
        assertEquals("open", s.get("node_store.state"));
        assertEquals("running", s.get("iscsid.state"));
        assertEquals(home.resolve("etc/iscsi").toString(), s.get("node_store.root"));
        assertEquals("1", s.get("sessions"), "the session stays up across the swap");
        assertEquals(IscsiError.NO_OBJS_FOUND.code(), login(DISK).status(), "the memory store does not have the file store's record");

        daemon.swapStore("file");
        assertEquals("file", status().get("node_store.name"));
        assertTrue(memory.last().isClosed(), "the memory store's handle is closed once the file store is back");
        assertEquals(List.of("login " + DISK), engine.calls, "no logout, no re-login: sessions are not the swap's business");
        assertTrue(call(MgmtRequest.of(MgmtOp.LOGOUT, Map.of("sid", "1"))).isOk());
        assertTrue(login(DISK).isOk(), "back on the file store, its record logs in again");
    }

    @Test
    void aSwapToAStoreThatIsNotInstalledDegradesAndTheSessionsStay() throws Exception {
        file.records.putNode(NodeRecord.create(DISK, RecordValues.empty()));
        providers.addStore(file);
        providers.setSessions(engine);
        providers.addTransport(FakeSessionManager.tcp());
        start("file");
        assertTrue(login(DISK).isOk());

        daemon.swapStore("sql");
        Map<String, String> s = status();
        assertEquals("degraded (node store 'sql' is not installed)", s.get("iscsid.state"));
        assertEquals("sql", s.get("node_store.name"));
        assertEquals("1", s.get("sessions"));
        assertEquals(IscsiError.IDBM.code(), login(DISK).status());
    }

    @Test
    void whenNoStoreWasOpenTheSwappedInOneGetsReSyncAndAutoLogin() throws Exception {
        memory.records.putNode(NodeRecord.create(DISK, RecordValues.empty()).with(NodeKeys.STARTUP, "automatic"));
        providers.addStore(memory);
        providers.setSessions(engine);
        providers.addTransport(FakeSessionManager.tcp());
        start("file");
        assertTrue(engine.calls.isEmpty());

        daemon.swapStore("memory");
        assertEquals(List.of("login " + DISK), engine.calls);
        assertEquals("running", status().get("iscsid.state"));
    }
}

package org.kiscsi.export.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.export.ExportInfo;
import org.kiscsi.api.export.ExportSpec;
import org.kiscsi.api.export.ExportState;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.export.nbd.internal.NbdExportComponent;
import org.kiscsi.scsi.BlockDeviceOptions;
import org.kiscsi.scsi.SessionLunService;
import org.kiscsi.testkit.proxy.FaultProxy;
import org.kiscsi.testkit.target.TestTarget;
import org.kiscsi.transport.tcp.TcpTransport;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The daemon's export service over the real engine, TCP transport and LUN service, against the in-JVM
 * test target behind the fault proxy: exports from the configuration and at run time, following their
 * record's session through recovery, logout and a new login, failing held requests after the record's
 * replacement_timeout; hostile clients leave the service and other exports unhurt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExportServiceTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:export";
    private static final int REPLACEMENT_SECONDS = 3;
    @TempDir
    Path tmp;
    TestTarget target;
    FaultProxy proxy;
    TcpTransport tcp;
    IscsiEngine engine;
    NbdExportComponent service;
    NodeRecord record;
    Path socket;
    Map<String, Object> props;

    @BeforeEach
    void start() throws Exception {
        target = TestTarget.start(IQN, 4096).addLun(1, 2048);
        proxy = FaultProxy.start(target.portal());
        tcp = new TcpTransport();
        engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.test:nbd").transport(tcp).build();
        record = NodeRecord.create(new NodeKey(IscsiName.of(IQN), proxy.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "5").with(NodeKeys.LOGOUT_TIMEOUT, "5")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.NOOP_OUT_TIMEOUT, "2")
                .with(NodeKeys.REPLACEMENT_TIMEOUT, Integer.toString(REPLACEMENT_SECONDS)));
        socket = tmp.resolve("run/nbd.sock");
        props = new HashMap<>();
        props.put("socket", socket.toString());
        props.put("stallTimeoutSeconds", 2L);
        props.put("export.disk", IQN + " " + proxy.portal().address() + ":" + proxy.portal().port() + " 0");
        props.put("export.other", IQN + " " + proxy.portal().address() + ":" + proxy.portal().port() + " 1 readonly");
        service = new NbdExportComponent(engine, new SessionLunService(engine, BlockDeviceOptions.DEFAULTS), config(props), props);
        service.setManagement(management(record));
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.deactivate();
        }
        engine.close();
        tcp.close();
        proxy.close();
        target.close();
    }

    @Test
    void configuredExportsWaitForTheSessionThenServeIt() throws Exception {
        assertEquals(ExportState.WAITING, info("disk").state());
        assertTrue(service.listeners().contains("unix:" + socket), service.listeners().toString());
        long sid = login();
        ExportInfo disk = await("disk", i -> i.state() == ExportState.READY);
        assertEquals(sid, disk.sid());
        assertEquals(4096L * 512, disk.size());
        assertTrue(disk.configured());
        await("other", i -> i.state() == ExportState.READY);
        try (RawClient c = client("disk")) {
            byte[] data = pattern(4096, 7);
            assertArrayEquals(data, writeThenRead(c, 0, data));
        }
    }

    @Test
    void followsTheSessionThroughRecoveryLogoutAndANewLogin() throws Exception {
        long sid = login();
        await("disk", i -> i.state() == ExportState.READY);
        try (RawClient c = client("disk")) {
            byte[] data = pattern(8192, 3);
            assertArrayEquals(data, writeThenRead(c, 4096, data));

            // the connection is cut and cannot come back for a while: the request waits for the recovery
            proxy.refuseConnections(true);
            proxy.cutAll();
            await("disk", i -> i.state() == ExportState.RECOVERING);
            c.request(0, Nbd.CMD_READ, 11, 4096, 8192, null);
            Thread.sleep(500);
            proxy.refuseConnections(false);
            assertEquals(0, c.simpleReply()[0]);
            assertArrayEquals(data, c.read(8192).array());
            await("disk", i -> i.state() == ExportState.READY && i.sid() == sid);

            // the session ends: a request waits for the next session of the record, which serves it
            engine.logout(sid).toCompletableFuture().get(10, TimeUnit.SECONDS);
            await("disk", i -> i.state() == ExportState.WAITING && i.sid() == -1);
            c.request(0, Nbd.CMD_READ, 12, 4096, 8192, null);
            Thread.sleep(300);
            long again = login();
            assertNotEquals(sid, again);
            assertEquals(0, c.simpleReply()[0]);
            assertArrayEquals(data, c.read(8192).array());
            assertEquals(again, await("disk", i -> i.state() == ExportState.READY).sid());

            // no session comes: after replacement_timeout the request fails with EIO
            engine.logout(again).toCompletableFuture().get(10, TimeUnit.SECONDS);
            await("disk", i -> i.state() == ExportState.WAITING);
            long sent = System.nanoTime();
            c.request(0, Nbd.CMD_READ, 13, 0, 512, null);
            long[] reply = c.simpleReply();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertEquals(Nbd.EIO, reply[0]);
            assertEquals(13, reply[1]);
            assertTrue(waited >= REPLACEMENT_SECONDS * 1000 - 200 && waited < REPLACEMENT_SECONDS * 1000 + 3000, waited + " ms");
        }
    }

    @Test
    void exportsAddedAndRemovedAtRunTime() throws Exception {
        login();
        ExportSpec spec = new ExportSpec("added", record.key(), 1, false);
        ExportInfo added = service.add(spec).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(!added.configured());
        await("added", i -> i.state() == ExportState.READY && i.size() == 2048L * 512);
        IscsiException twice = (IscsiException) assertThrows(java.util.concurrent.ExecutionException.class,
                () -> service.add(spec).toCompletableFuture().get(5, TimeUnit.SECONDS)).getCause();
        assertEquals(IscsiError.INVAL, twice.error());
        RawClient c = client("added");
        service.remove("added").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(c.closedByServer(), "the removed export's client is disconnected");
        assertTrue(service.export("added").isEmpty());
        IscsiException none = (IscsiException) assertThrows(java.util.concurrent.ExecutionException.class,
                () -> service.remove("added").toCompletableFuture().get(5, TimeUnit.SECONDS)).getCause();
        assertEquals(IscsiError.NO_OBJS_FOUND, none.error());
    }

    @Test
    void persistentExportsAreKeptInTheConfigurationAndServeAgainAfterARestart() throws Exception {
        long sid = login();
        Map<String, Object> file = new HashMap<>(props);
        service.setConfigurationAdmin(configAdmin(file));
        ExportSpec kept = new ExportSpec("kept", new NodeKey(IscsiName.of(IQN), proxy.portal(), "iface0"), 1, true);
        assertTrue(service.add(kept, true).toCompletableFuture().get(5, TimeUnit.SECONDS).configured());
        assertEquals(IQN + " " + proxy.portal() + " 1 iface=iface0 readonly", file.get("export.kept"));
        ExportSpec once = new ExportSpec("once", record.key(), 1, false);
        assertTrue(!service.add(once, false).toCompletableFuture().get(5, TimeUnit.SECONDS).configured());
        assertTrue(!file.containsKey("export.once"), file.toString());
        await("once", i -> i.state() == ExportState.READY);

        // the daemon restarts: the component comes back from the configuration alone
        service.deactivate();
        service = new NbdExportComponent(engine, new SessionLunService(engine, BlockDeviceOptions.DEFAULTS), config(file), file);
        service.setConfigurationAdmin(configAdmin(file));
        assertEquals(List.of("disk", "kept", "other"), service.exports().stream().map(i -> i.spec().name()).toList());
        ExportInfo back = info("kept");
        assertEquals(kept, back.spec());
        assertTrue(back.configured());
        service.add(new ExportSpec("disk2", record.key(), 0, false), true).toCompletableFuture().get(5, TimeUnit.SECONDS);
        await("disk2", i -> i.state() == ExportState.READY && i.sid() == sid);

        // removing takes a kept export, whether written by hand or added, out of the configuration
        service.remove("kept").toCompletableFuture().get(5, TimeUnit.SECONDS);
        service.remove("disk").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(!file.containsKey("export.kept") && !file.containsKey("export.disk") && file.containsKey("export.disk2"),
                file.toString());
    }

    @Test
    void aPersistentExportWithoutConfigAdminIsRefusedAndNotAdded() throws Exception {
        IscsiException x = (IscsiException) assertThrows(java.util.concurrent.ExecutionException.class,
                () -> service.add(new ExportSpec("kept", record.key(), 1, false), true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .getCause();
        assertEquals(IscsiError.IDBM, x.error());
        assertTrue(x.getMessage().contains("org.kiscsi.export.nbd") && x.getMessage().contains("nonpersistent"), x.getMessage());
        assertTrue(service.export("kept").isEmpty());
    }

    @Test
    void aMissingLunFailsTheExportSayingWhy() throws Exception {
        login();
        service.add(new ExportSpec("nolun", record.key(), 9, false)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        ExportInfo i = await("nolun", x -> x.state() == ExportState.FAILED);
        assertTrue(i.detail().contains("session"), i.detail());
    }

    @Test
    void hostileClientsLeaveTheServiceAndOtherExportsUnhurt() throws Exception {
        login();
        await("disk", i -> i.state() == ExportState.READY);
        await("other", i -> i.state() == ExportState.READY);
        try (RawClient good = client("other")) {
            // wrong magic in the transmission phase: disconnected
            try (RawClient c = client("disk")) {
                ByteBuffer bad = ByteBuffer.allocate(28).putInt(0x12345678);
                c.send(bad.position(28).flip());
                assertTrue(c.closedByServer());
            }
            // unknown client flags: disconnected at the handshake
            try (RawClient c = new RawClient(socket)) {
                c.read(18);
                c.send(ByteBuffer.allocate(4).putInt(0x80).flip());
                assertTrue(c.closedByServer());
            }
            // oversized option: refused, then disconnected
            try (RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE)) {
                c.send(ByteBuffer.allocate(16).putLong(Nbd.IHAVEOPT).putInt(Nbd.OPT_GO).putInt(Integer.MAX_VALUE).flip());
                assertEquals(Nbd.REP_ERR_TOO_BIG, c.optionReply(Nbd.OPT_GO)[0]);
                assertTrue(c.closedByServer());
            }
            // oversized request and a request past the end: EINVAL, the connection goes on
            try (RawClient c = client("disk")) {
                c.request(0, Nbd.CMD_READ, 1, 0, 64 << 20, null);
                assertEquals(Nbd.EINVAL, c.simpleReply()[0]);
                c.request(0, Nbd.CMD_READ, 2, 4096L * 512, 512, null);
                assertEquals(Nbd.EINVAL, c.simpleReply()[0]);
                c.request(0, Nbd.CMD_READ, 3, 0, 512, null);
                assertEquals(0, c.simpleReply()[0]);
                c.read(512);
            }
            // a client that stops reading is dropped after the stall timeout
            try (RawClient c = client("disk")) {
                for (int i = 0; i < 64; i++) {
                    c.request(0, Nbd.CMD_READ, i, 0, 1 << 20, null);
                }
                // read nothing until the server has dropped it (reading would end the stall); the
                // earlier clients of "disk" are gone by then too
                await("disk", i -> i.clients() == 0);
                assertTrue(c.closedByServer(), "a client that reads nothing is dropped");
            }
            // meanwhile the other export's client and new clients are served
            good.request(0, Nbd.CMD_READ, 99, 0, 512, null);
            assertEquals(0, good.simpleReply()[0]);
            good.read(512);
            try (RawClient c = client("disk")) {
                byte[] data = pattern(512, 9);
                assertArrayEquals(data, writeThenRead(c, 0, data));
            }
            good.request(0, Nbd.CMD_WRITE, 100, 0, 512, new byte[512]);
            assertEquals(Nbd.EPERM, good.simpleReply()[0], "a read-only export refuses writes");
        }
    }

    private long login() throws Exception {
        return engine.login(record).toCompletableFuture().get(15, TimeUnit.SECONDS).sid();
    }

    private RawClient client(String export) throws Exception {
        RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES);
        c.go(export, false, false);
        return c;
    }

    private static byte[] writeThenRead(RawClient c, long offset, byte[] data) throws Exception {
        c.request(0, Nbd.CMD_WRITE, 1, offset, data.length, data);
        assertEquals(0, c.simpleReply()[0]);
        c.request(0, Nbd.CMD_READ, 2, offset, data.length, null);
        assertEquals(0, c.simpleReply()[0]);
        return c.read(data.length).array();
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private ExportInfo info(String name) {
        return service.export(name).orElseThrow();
    }

    private ExportInfo await(String name, Predicate<ExportInfo> p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        ExportInfo i = info(name);
        while (!p.test(i)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("export '" + name + "' did not get there: " + i);
            }
            Thread.sleep(20);
            i = info(name);
        }
        return i;
    }

    /** The component's configuration from properties, as Config Admin and DS hand it over. */
    static NbdExportComponent.Config config(Map<String, Object> props) {
        return (NbdExportComponent.Config) Proxy.newProxyInstance(ExportServiceTest.class.getClassLoader(),
                new Class<?>[] { NbdExportComponent.Config.class }, (p, m, a) -> {
                    String key = m.getName().replace('_', '.');
                    Object v = props.get(key);
                    return v != null ? v : m.getDefaultValue();
                });
    }

    /**
     * Config Admin as far as the export service uses it: the service's one configuration, {@code file}
     * (what Karaf's file installer keeps in etc/org.kiscsi.export.nbd.cfg), read and updated.
     */
    static ConfigurationAdmin configAdmin(Map<String, Object> file) {
        Configuration c = (Configuration) Proxy.newProxyInstance(ExportServiceTest.class.getClassLoader(),
                new Class<?>[] { Configuration.class }, (p, m, a) -> switch (m.getName()) {
                    case "getProperties" -> new Hashtable<>(file);
                    case "update" -> {
                        Dictionary<?, ?> d = (Dictionary<?, ?>) a[0];
                        file.clear();
                        for (Object k : Collections.list(d.keys())) {
                            file.put((String) k, d.get(k));
                        }
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(ExportServiceTest.class.getClassLoader(),
                new Class<?>[] { ConfigurationAdmin.class }, (p, m, a) -> {
                    if (m.getName().equals("getConfiguration") && "org.kiscsi.export.nbd".equals(a[0])) {
                        return c;
                    }
                    throw new UnsupportedOperationException(m.getName() + " " + java.util.Arrays.toString(a));
                });
    }

    /** The management service as far as the export service uses it: the record, for its replacement_timeout. */
    static IscsiManagement management(NodeRecord record) {
        return (IscsiManagement) Proxy.newProxyInstance(ExportServiceTest.class.getClassLoader(),
                new Class<?>[] { IscsiManagement.class }, (p, m, a) -> {
                    if (m.getName().equals("nodes")) {
                        return CompletableFuture.completedFuture(List.of(record));
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}

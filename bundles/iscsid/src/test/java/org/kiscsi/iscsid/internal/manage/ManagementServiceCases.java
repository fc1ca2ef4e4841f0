package org.kiscsi.iscsid.internal.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.iscsid.internal.manage.ManageFixture.await;
import static org.kiscsi.iscsid.internal.manage.ManageFixture.failure;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.manage.HostInfo;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.manage.StartupFilter;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordSchema;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionStatistics;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.testkit.loopback.LoopbackTransport;

/** The management service's operations, run over each node store (see the subclasses). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ManagementServiceCases {
    @TempDir
    Path root;
    ManageFixture f;

    abstract NodeStore open(Path root);

    @BeforeEach
    void start() throws Exception {
        f = new ManageFixture(open(root), root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private static RecordChange set(String key, String value) {
        return new RecordChange(key, value);
    }

    private NodeRecord stored(String iface) {
        return f.store.node(new NodeKey(IscsiName.of(ManageFixture.IQN), f.portal, iface)).orElseThrow();
    }

    @Test
    void newRecordsTakeCompiledThenConfDefaultsAndTheIfaceValues() throws Exception {
        List<Outcome<NodeKey>> o = await(f.service.createNodes(f.selector()));
        assertEquals(1, o.size());
        assertTrue(o.get(0).isOk(), o.toString());
        NodeRecord r = stored("default");
        assertEquals("2", r.values().get(NodeKeys.LOGIN_TIMEOUT).orElseThrow(), "iscsid.conf over the compiled 30");
        assertEquals("4096", RecordSchema.NODE.defaultOf("node.conn[0].tcp.window_size").map(x -> "4096").orElseThrow());
        assertEquals("524288", r.values().get("node.conn[0].tcp.window_size").orElseThrow(), "compiled default");
        assertEquals("tcp", r.values().get(NodeKeys.TRANSPORT_NAME).orElseThrow());
        assertEquals("static", r.values().get(NodeKeys.DISCOVERY_TYPE).orElseThrow());
        assertEquals(1, r.portal().tpgt());

        f.loopbackRecord("lo");
        assertEquals(LoopbackTransport.NAME, stored("lo").values().get(NodeKeys.TRANSPORT_NAME).orElseThrow(),
                "the iface's transport copied into the record");

        Outcome<NodeKey> none = await(f.service.createNodes(f.selector("nosuch"))).get(0);
        assertEquals(IscsiError.NOMEM, none.status(), "2.1.8's node mode exits 3 when it cannot read the iface");
        assertEquals("Could not read iface info for nosuch.", none.message());
        assertEquals(IscsiError.INVAL, failure(f.service.createNodes(NodeSelector.ALL)).error());
    }

    @Test
    void showMasksSecretsUnlessAskedAndSorts() throws Exception {
        await(f.service.createNodes(f.selector()));
        f.loopbackRecord("lo");
        await(f.service.updateNodes(f.selector(), List.of(set(NodeKeys.PASSWORD, "a-secret-of-16b!"))));
        List<NodeRecord> masked = await(f.service.nodes(NodeSelector.ALL, false));
        assertEquals(List.of("default", "lo"), masked.stream().map(NodeRecord::iface).toList());
        assertEquals("********", masked.get(0).values().get(NodeKeys.PASSWORD).orElseThrow());
        assertEquals("a-secret-of-16b!", await(f.service.nodes(f.selector("default"), true)).get(0).values()
                .get(NodeKeys.PASSWORD).orElseThrow());
        assertTrue(await(f.service.nodes(new NodeSelector(Optional.of(IscsiName.of("iqn.2026-11.org.kiscsi.test:other")),
                Optional.empty(), List.of()), false)).isEmpty());
    }

    @Test
    void updatesRefuseWhatOpenIscsiRefusesBeforeWritingAnything() throws Exception {
        await(f.service.createNodes(f.selector()));
        NodeRecord before = stored("default");
        assertRefused("Cannot modify node.name. It is used to look up the record and cannot be changed.",
                set(NodeKeys.STARTUP, "automatic"), set(NodeKeys.NAME, "iqn.2026-11.x:y"));
        assertRefused("Cannot modify node.conn[0].address. It is used to look up the record and cannot be changed.",
                set(NodeKeys.ADDRESS, "10.0.0.1"));
        assertRefused("Cannot modify iface.iscsi_ifacename. Use iface mode to update this value.",
                set(NodeKeys.IFACE_NAME, "other"));
        assertRefused("Cannot modify node.session.nosuch. Invalid param name.", set("node.session.nosuch", "1"));
        assertRefused("Cannot set node.startup to 'sometimes': expected one of manual, automatic, onboot.",
                set(NodeKeys.STARTUP, "sometimes"));
        assertRefused("Cannot set node.conn[0].iscsi.HeaderDigest to 'MD5': expected one of None, CRC32C, CRC32C,None, None,CRC32C.",
                set(NodeKeys.HEADER_DIGEST, "MD5"));
        assertRefused("Cannot set node.session.cmds_max to 'many': expected a number.", set(NodeKeys.CMDS_MAX, "many"));
        assertRefused("Cannot set node.session.iscsi.ImmediateData to 'yes': expected one of Yes, No.",
                set(NodeKeys.IMMEDIATE_DATA, "yes"));
        assertEquals(before, stored("default"), "nothing written");

        // in order: the last of two changes of one key wins; kiscsi's own keys are taken
        List<Outcome<NodeKey>> ok = await(f.service.updateNodes(f.selector(), List.of(set(NodeKeys.STARTUP, "automatic"),
                set(NodeKeys.STARTUP, "onboot"), set(NodeKeys.SCSI_CMD_TIMEOUT, "40"), set("node.transport_name", "tcp"))));
        assertTrue(ok.get(0).isOk(), ok.toString());
        assertEquals("onboot", stored("default").values().get(NodeKeys.STARTUP).orElseThrow());
        assertEquals("40", stored("default").values().get(NodeKeys.SCSI_CMD_TIMEOUT).orElseThrow());
        assertEquals(IscsiError.NO_OBJS_FOUND, failure(f.service.updateNodes(f.selector("nosuch"),
                List.of(set(NodeKeys.STARTUP, "manual")))).error());
    }

    private void assertRefused(String message, RecordChange... changes) throws Exception {
        var e = failure(f.service.updateNodes(f.selector(), List.of(changes)));
        assertEquals(IscsiError.INVAL, e.error());
        assertEquals(message, e.getMessage());
    }

    @Test
    void twentyConcurrentUpdatesOfOneRecordAllLand() throws Exception {
        await(f.service.createNodes(f.selector()));
        String[] keys = {NodeKeys.LOGIN_TIMEOUT, NodeKeys.LOGOUT_TIMEOUT, NodeKeys.NOOP_OUT_INTERVAL, NodeKeys.NOOP_OUT_TIMEOUT,
            NodeKeys.REPLACEMENT_TIMEOUT, NodeKeys.ABORT_TIMEOUT, NodeKeys.LU_RESET_TIMEOUT, NodeKeys.TGT_RESET_TIMEOUT,
            NodeKeys.INITIAL_LOGIN_RETRY_MAX, NodeKeys.REOPEN_MAX, NodeKeys.CMDS_MAX, NodeKeys.QUEUE_DEPTH,
            NodeKeys.FIRST_BURST_LENGTH, NodeKeys.MAX_BURST_LENGTH, NodeKeys.DEFAULT_TIME2WAIT, NodeKeys.DEFAULT_TIME2RETAIN,
            NodeKeys.MAX_RECV_DATA_SEGMENT_LENGTH, NodeKeys.MAX_XMIT_DATA_SEGMENT_LENGTH, "node.session.initial_cmdsn",
            "node.conn[0].timeo.auth_timeout"};
        assertEquals(20, keys.length);
        List<CompletableFuture<List<Outcome<NodeKey>>>> all = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            all.add(f.service.updateNodes(f.selector(), List.of(set(keys[i], Integer.toString(1000 + i)))).toCompletableFuture());
        }
        for (var u : all) {
            assertTrue(u.get(20, TimeUnit.SECONDS).get(0).isOk());
        }
        NodeRecord r = open(root).node(stored("default").key()).orElseThrow(); // read back afresh
        for (int i = 0; i < keys.length; i++) {
            assertEquals(Integer.toString(1000 + i), r.values().get(keys[i]).orElse("missing"), keys[i]);
        }
        assertEquals(ManageFixture.IQN, r.target().value());
        assertEquals("tcp", r.values().get(NodeKeys.TRANSPORT_NAME).orElseThrow(), "the rest of the record is whole");
        assertEquals(RecordSchema.NODE.defaultOf("node.conn[0].tcp.window_size").orElseThrow(),
                r.values().get("node.conn[0].tcp.window_size").orElseThrow());
    }

    @Test
    void loginShowsTheSessionWithRecordIfaceTpgtAndLunsThenRefusesDeletingItsRecord() throws Exception {
        // a record made without a TPGT (-p ip:port): the session shows the one the target returned
        NodeSelector bare = new NodeSelector(Optional.of(IscsiName.of(ManageFixture.IQN)), Optional.of(f.bare), List.of());
        f.loopbackRecord("lo", new NodeSelector(bare.target(), bare.portal(), List.of("lo")));
        assertEquals(-1, f.store.nodes().get(0).portal().tpgt());
        List<Outcome<NodeKey>> in = await(f.service.login(bare, true));
        assertTrue(in.get(0).isOk(), in.toString());
        List<SessionDetails> sessions = await(f.service.sessions());
        assertEquals(1, sessions.size());
        SessionDetails d = sessions.get(0);
        assertEquals(1, d.info().targetPortalGroupTag(), "the TPGT the target returned");
        assertEquals(f.bare.withTpgt(1), d.info().portal());
        assertEquals("lo", d.iface().name());
        assertEquals(LoopbackTransport.NAME, d.iface().transportName());
        assertEquals("2", d.record().orElseThrow().values().get(NodeKeys.LOGIN_TIMEOUT).orElseThrow());
        assertEquals(List.of(0L, 3L), d.luns().stream().map(l -> l.lun()).toList(), "scanned after login");
        assertEquals(4096, d.luns().get(1).capacity().orElseThrow().blockCount());
        long sid = d.info().sid();
        assertEquals(sid, await(f.service.session(sid)).info().sid());

        Outcome<NodeKey> again = await(f.service.login(bare, true)).get(0);
        assertEquals(IscsiError.SESS_EXISTS, again.status());
        assertEquals("lo: 1 session requested, but 1 already present.", again.message());

        Outcome<NodeKey> kept = await(f.service.deleteNodes(bare)).get(0);
        assertEquals(IscsiError.SESS_EXISTS, kept.status());
        assertTrue(kept.message().startsWith("This command will remove the record [iface: lo, target: " + ManageFixture.IQN
                + ", portal: " + f.bare.address() + "," + f.bare.port() + "], but a session is using it."), kept.message());
        assertTrue(f.store.node(kept.subject()).isPresent());
        Outcome<String> ifaceKept = await(f.service.deleteIface("lo"));
        assertEquals(IscsiError.SESS_EXISTS, ifaceKept.status());

        List<HostInfo> hosts = await(f.service.hosts());
        HostInfo lo = hosts.stream().filter(h -> h.transport().equals(LoopbackTransport.NAME)).findFirst().orElseThrow();
        assertEquals(List.of(sid), lo.sids());
        assertEquals(lo.number(), d.hostNumber());
        assertEquals(hosts, await(f.service.hosts()), "host numbers stay");

        List<Outcome<SessionInfo>> out = await(f.service.logout(bare));
        assertTrue(out.get(0).isOk(), out.toString());
        assertEquals(IscsiError.NO_OBJS_FOUND, failure(f.service.logout(bare)).error());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(f.service.session(sid)).error());
        assertTrue(await(f.service.deleteNodes(bare)).get(0).isOk());
        assertTrue(f.store.node(kept.subject()).isEmpty());
    }

    @Test
    void manualScanMeansNoLunsUntilRescan() throws Exception {
        f.loopbackRecord("lo");
        await(f.service.updateNodes(f.selector(), List.of(set("node.session.scan", "manual"))));
        await(f.service.login(f.selector(), true));
        long sid = await(f.service.sessions()).get(0).info().sid();
        assertTrue(await(f.service.session(sid)).luns().isEmpty(), "node.session.scan = manual: no scan after login");
        List<Outcome<SessionInfo>> r = await(f.service.rescan(-1));
        assertTrue(r.get(0).isOk(), r.toString());
        assertEquals(2, await(f.service.session(sid)).luns().size());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(f.service.rescan(sid + 100)).error());
        assertTrue(await(f.service.logoutSession(sid)).isOk());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(f.service.logoutSession(sid)).error());
    }

    @Test
    void statisticsCountTheReads() throws Exception {
        f.loopbackRecord("lo");
        await(f.service.login(f.selector(), true));
        long sid = await(f.service.sessions()).get(0).info().sid();
        SessionStatistics before = await(f.service.statistics(sid));
        for (int i = 0; i < 5; i++) {
            ByteBuffer in = ByteBuffer.allocate(4096);
            byte[] cdb = {0x28, 0, 0, 0, 0, (byte) i, 0, 0, 8, 0};
            assertEquals(0, await(f.engine.executor(sid).execute(ScsiTask.read(0, cdb, in))).status());
        }
        SessionStatistics after = await(f.service.statistics(sid));
        assertEquals(5, after.scsiCommandPdus() - before.scsiCommandPdus());
        assertEquals(5 * 4096, after.rxDataOctets() - before.rxDataOctets());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(f.service.statistics(sid + 100)).error());
    }

    @Test
    void aTransportThatIsNotInstalledFailsThatRecordOnly() throws Exception {
        f.loopbackRecord("lo");
        f.loopbackRecord("lo2");
        await(f.service.updateIface("lo2", List.of(set(NodeKeys.TRANSPORT_NAME, "bnx2i"))));
        List<Outcome<NodeKey>> o = await(f.service.login(new NodeSelector(Optional.of(IscsiName.of(ManageFixture.IQN)),
                Optional.of(f.portal), List.of()), true));
        assertEquals(2, o.size());
        assertTrue(o.get(0).isOk(), o.toString());
        assertEquals(IscsiError.TRANS_NOT_FOUND, o.get(1).status());
        assertTrue(o.get(1).message().contains("iface lo2") && o.get(1).message().contains("'bnx2i'"), o.get(1).message());
    }

    @Test
    void withoutWaitTheOutcomesSayStartedAndTheLoginRunsOn() throws Exception {
        f.loopbackRecord("lo");
        List<Outcome<NodeKey>> o = await(f.service.login(f.selector(), false));
        assertTrue(o.get(0).isOk());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (await(f.service.sessions()).isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(1, await(f.service.sessions()).size());
    }

    @Test
    void loginAndLogoutByStartup() throws Exception {
        f.loopbackRecord("lo");
        f.loopbackRecord("lo2");
        await(f.service.updateNodes(f.selector("lo2"), List.of(set(NodeKeys.STARTUP, "automatic"))));
        List<Outcome<NodeKey>> auto = await(f.service.loginAll(StartupFilter.AUTOMATIC, true)).logins();
        assertEquals(List.of("lo2"), auto.stream().map(o -> o.subject().iface()).toList());
        assertTrue(auto.get(0).isOk(), auto.toString());
        assertEquals(IscsiError.INVAL, failure(f.service.logoutAll(StartupFilter.ONBOOT)).error());
        // 2.1.8 matches node.conn[0].startup too, which every record has as manual: -U manual takes lo2's session
        assertEquals(1, await(f.service.logoutAll(StartupFilter.MANUAL)).size());
        assertEquals(IscsiError.NO_OBJS_FOUND, failure(f.service.logoutAll(StartupFilter.ALL)).error());
        await(f.service.updateNodes(NodeSelector.ALL, List.of(set(NodeKeys.STARTUP, "onboot"))));
        assertEquals(IscsiError.NO_OBJS_FOUND, failure(f.service.loginAll(StartupFilter.AUTOMATIC, true)).error());
    }

    @Test
    void worstCaseFollowsTheEnginesRetryLoop() throws Exception {
        await(f.service.createNodes(f.selector()));
        // 2 s login, no retries: one attempt of connect + login, and the scan a login waits for
        assertEquals(java.time.Duration.ofSeconds(4).plus(LunScans.LOGIN_SCAN_WAIT), await(f.service.loginWorstCase(f.selector())));
        await(f.service.updateNodes(f.selector(), List.of(set(NodeKeys.LOGIN_TIMEOUT, "15"),
                set(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "8"))));
        assertEquals(java.time.Duration.ofSeconds(9 * 30 + 8 * 2).plus(LunScans.LOGIN_SCAN_WAIT),
                await(f.service.loginWorstCase(f.selector())));
        assertEquals(java.time.Duration.ZERO, await(f.service.loginWorstCase(f.selector("nosuch"))));
    }

    @Test
    void ifacesBuiltInOnesStayAsTheyAre() throws Exception {
        assertEquals(List.of("default", "iser"), await(f.service.ifaces()).stream().map(i -> i.name()).toList());
        assertEquals("iser", await(f.service.iface("iser")).transportName());
        Outcome<String> o = await(f.service.updateIface("default", List.of(set("iface.ipaddress", "127.0.0.1"))));
        assertEquals(IscsiError.INVAL, o.status());
        assertEquals("iface default is a special interface and cannot be modified.", o.message());
        assertEquals("iface iser is a special interface and cannot be deleted.", await(f.service.deleteIface("iser")).message());
        assertEquals(IscsiError.INVAL, await(f.service.createIface("default")).status());

        assertTrue(await(f.service.createIface("eth-a")).isOk());
        assertEquals(IscsiError.INVAL, failure(f.service.updateIface("eth-a", List.of(set(NodeKeys.STARTUP, "automatic")))).error());
        assertEquals("Can not update iface.iscsi_ifacename. Delete it, and then create a new one.",
                failure(f.service.updateIface("eth-a", List.of(set(NodeKeys.IFACE_NAME, "b")))).getMessage());
        await(f.service.createNodes(f.selector("eth-a")));
        assertTrue(await(f.service.updateIface("eth-a", List.of(set("iface.ipaddress", "127.0.0.1")))).isOk());
        assertEquals("127.0.0.1", await(f.service.iface("eth-a")).values().get("iface.ipaddress").orElseThrow());
        assertEquals("127.0.0.1", stored("eth-a").values().get("iface.ipaddress").orElseThrow(), "bound records follow");
        assertEquals(List.of("default", "iser", "eth-a"), await(f.service.ifaces()).stream().map(i -> i.name()).toList());
        assertTrue(await(f.service.deleteIface("eth-a")).isOk());
        assertFalse(f.store.iface("eth-a").isPresent());
        assertTrue(f.store.nodes().isEmpty(), "its records deleted with it, as 2.1.8 does");
        assertEquals(IscsiError.NO_OBJS_FOUND, failure(f.service.iface("eth-a")).error());
    }

    @Test
    void discoveryRecords() throws Exception {
        org.kiscsi.api.Portal p = org.kiscsi.api.Portal.of("127.0.0.1", 3260);
        var st = org.kiscsi.api.node.DiscoveryType.SENDTARGETS;
        assertTrue(await(f.service.createDiscoveryRecord(st, p)).isOk());
        var d = await(f.service.discoveryRecords(false)).get(0);
        assertEquals("32768", d.values().get("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength").orElseThrow());
        assertTrue(await(f.service.updateDiscoveryRecord(st, p, List.of(set("discovery.sendtargets.auth.password",
                "a-secret-of-16b!")))).isOk());
        assertEquals("********", await(f.service.discoveryRecords(false)).get(0).values()
                .get("discovery.sendtargets.auth.password").orElseThrow());
        assertEquals(IscsiError.INVAL, failure(f.service.updateDiscoveryRecord(st, p, List.of(set(NodeKeys.STARTUP, "manual"))))
                .error());
        assertEquals(IscsiError.INVAL, failure(f.service.updateDiscoveryRecord(org.kiscsi.api.node.DiscoveryType.ISNS, p,
                List.of(set("discovery.sendtargets.use_discoveryd", "Yes")))).error());
        await(f.service.createNodes(f.selector()));
        assertTrue(await(f.service.deleteDiscoveryRecord(st, p)).isOk());
        assertTrue(await(f.service.discoveryRecords(true)).isEmpty());
        assertEquals(1, f.store.nodes().size(), "node records stay");
        assertEquals(IscsiError.NO_OBJS_FOUND, await(f.service.deleteDiscoveryRecord(st, p)).status());
    }
}

package org.kiscsi.iscsid.internal.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.iscsid.internal.manage.ManageFixture.await;
import static org.kiscsi.iscsid.internal.manage.ManageFixture.failure;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.Portal;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.RecordChange;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.store.memory.MemoryNodeStore;

/** Updates and logins meet RecordEffects: kept keys warn, keys kiscsi cannot honour are refused. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordEffectsUpdateTest {
    @TempDir
    Path root;
    ManageFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new ManageFixture(new MemoryNodeStore("record effects test").handle(), root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private static RecordChange set(String key, String value) {
        return new RecordChange(key, value);
    }

    @Test
    void aNodeUpdateOfAKeptKeySucceedsWithOneWarningPerKey() throws Exception {
        f.loopbackRecord("lo");
        List<Outcome<NodeKey>> o = await(f.service.updateNodes(f.selector(), List.of(
                set("node.session.xmit_thread_priority", "0"), set(NodeKeys.QUEUE_DEPTH, "64"),
                set(NodeKeys.QUEUE_DEPTH, "16"), set(NodeKeys.CMDS_MAX, "64"), set(NodeKeys.PASSWORD, "a-secret-of-16b!"))));
        assertTrue(o.get(0).isOk(), o.toString());
        List<String> w = o.get(0).warnings();
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).startsWith("node.session.xmit_thread_priority is kept for open-iscsi and has no effect in kiscsi: "
                + "no kernel transmit thread in user space"), w.get(0));
        assertTrue(w.get(1).startsWith(NodeKeys.QUEUE_DEPTH + " is kept for open-iscsi"), w.get(1));
        assertTrue(w.stream().noneMatch(s -> s.contains("a-secret")), "no values in warnings");
        assertEquals("0", stored().values().get("node.session.xmit_thread_priority").orElseThrow(), "stored all the same");
    }

    @Test
    void aKeptKeyBackToItsDefaultWarnsNothing() throws Exception {
        f.loopbackRecord("lo");
        List<Outcome<NodeKey>> o = await(f.service.updateNodes(f.selector(), List.of(
                set("node.session.xmit_thread_priority", "-20"), set("node.conn[0].iscsi.IFMarker", "No"))));
        assertEquals(List.of(), o.get(0).warnings());
    }

    @Test
    void anIfaceUpdateOfAnOffloadKeyWarnsAndItsNodeRecordsTakeIt() throws Exception {
        f.loopbackRecord("lo");
        Outcome<String> o = await(f.service.updateIface("lo", List.of(set("iface.vlan_id", "12"))));
        assertTrue(o.isOk(), o.toString());
        assertEquals(1, o.warnings().size());
        assertTrue(o.warnings().get(0).contains("offload iface setting"), o.warnings().toString());
        assertEquals("12", stored().values().get("iface.vlan_id").orElseThrow());
        // a login of a record holding it goes ahead (one WARN line in the log)
        List<Outcome<NodeKey>> login = await(f.service.login(f.selector(), true));
        assertTrue(login.get(0).isOk(), login.toString());
    }

    @Test
    void bindingAnIfaceToADeviceIsRefused() throws Exception {
        f.loopbackRecord("lo");
        var e = failure(f.service.updateIface("lo", List.of(set("iface.net_ifacename", "eth1"))));
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(e.getMessage().contains("SO_BINDTODEVICE") && e.getMessage().contains("iface.ipaddress"), e.getMessage());
        assertEquals(IscsiError.INVAL, failure(f.service.updateIface("lo", List.of(set("iface.hwaddress",
                "00:11:22:33:44:55")))).error());
        // clearing it is always fine
        assertTrue(await(f.service.updateIface("lo", List.of(set("iface.net_ifacename", "")))).isOk());
    }

    @Test
    void aLoginOfARecordBoundToADeviceIsRefused() throws Exception {
        f.loopbackRecord("lo");
        NodeRecord r = stored();
        f.store.putNode(NodeRecord.of(r.values().with("iface.net_ifacename", "eth1")));
        List<Outcome<NodeKey>> login = await(f.service.login(f.selector(), true));
        assertEquals(IscsiError.INVAL, login.get(0).status(), login.toString());
        assertTrue(login.get(0).message().contains("iface.net_ifacename"), login.get(0).message());
        assertTrue(await(f.service.sessions()).isEmpty());
    }

    @Test
    void aDiscoveryUpdateOfAKeptKeyWarns() throws Exception {
        Portal p = Portal.of("127.0.0.1", 3260);
        assertTrue(await(f.service.createDiscoveryRecord(DiscoveryType.SENDTARGETS, p)).isOk());
        Outcome<Portal> o = await(f.service.updateDiscoveryRecord(DiscoveryType.SENDTARGETS, p,
                List.of(set("discovery.startup", "automatic"), set("discovery.sendtargets.reopen_max", "3"))));
        assertTrue(o.isOk(), o.toString());
        assertEquals(1, o.warnings().size(), o.warnings().toString());
        assertTrue(o.warnings().get(0).startsWith("discovery.startup is kept for open-iscsi"), o.warnings().get(0));
    }

    private NodeRecord stored() {
        return f.store.nodes().get(0);
    }
}

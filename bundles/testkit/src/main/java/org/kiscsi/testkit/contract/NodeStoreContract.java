package org.kiscsi.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;

/** What every node store must do. A store's tests extend this and say how to make the provider. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class NodeStoreContract {
    @TempDir
    protected Path root;
    protected NodeStoreProvider provider;
    protected NodeStore store;

    protected abstract NodeStoreProvider createProvider();

    @BeforeEach
    void openStore() {
        provider = createProvider();
        store = provider.open(root);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static NodeRecord record(String target, String portal, String iface) {
        return NodeRecord.create(new NodeKey(IscsiName.of(target), Portal.parse(portal), iface),
                RecordValues.empty().with(NodeKeys.STARTUP, "manual").with(NodeKeys.AUTH_METHOD, "None"));
    }

    @Test
    void putGetReplaceDelete() {
        NodeRecord r = record("iqn.2026-11.org.kiscsi:t1", "127.0.0.1:3260,1", "default");
        assertTrue(store.node(r.key()).isEmpty());
        store.putNode(r);
        assertEquals(r, store.node(r.key()).orElseThrow());
        NodeRecord changed = r.with(NodeKeys.STARTUP, "automatic");
        store.putNode(changed);
        assertEquals("automatic", store.node(r.key()).orElseThrow().values().get(NodeKeys.STARTUP).orElseThrow());
        assertEquals(1, store.nodes().size());
        assertTrue(store.deleteNode(r.key()));
        assertFalse(store.deleteNode(r.key()));
        assertTrue(store.nodes().isEmpty());
    }

    @Test
    void listsSortedAndByTarget() {
        store.putNode(record("iqn.2026-11.org.kiscsi:b", "127.0.0.2:3260,1", "default"));
        store.putNode(record("iqn.2026-11.org.kiscsi:a", "127.0.0.1:3261,1", "default"));
        store.putNode(record("iqn.2026-11.org.kiscsi:a", "127.0.0.1:3260,1", "default"));
        store.putNode(record("iqn.2026-11.org.kiscsi:a", "[::1]:3260,2", "default"));
        List<NodeRecord> all = store.nodes();
        assertEquals(4, all.size());
        assertEquals("iqn.2026-11.org.kiscsi:a", all.get(0).target().value());
        assertEquals("iqn.2026-11.org.kiscsi:b", all.get(3).target().value());
        assertEquals(3, store.nodes(IscsiName.of("iqn.2026-11.org.kiscsi:a")).size());
    }

    @Test
    void samePortalDifferentIfaceOrTpgtAreDifferentRecords() {
        store.putNode(record("iqn.2026-11.org.kiscsi:a", "127.0.0.1:3260,1", "default"));
        store.putNode(record("iqn.2026-11.org.kiscsi:a", "127.0.0.1:3260,1", "iface0"));
        store.putNode(record("iqn.2026-11.org.kiscsi:a", "127.0.0.1:3260", "default"));
        assertEquals(3, store.nodes().size());
    }

    @Test
    void keepsSecretsButNeverPrintsThem() {
        NodeRecord r = record("iqn.2026-11.org.kiscsi:s", "127.0.0.1:3260,1", "default")
                .with(NodeKeys.USERNAME, "user").with(NodeKeys.PASSWORD, "s3cret-value");
        store.putNode(r);
        NodeRecord back = store.node(r.key()).orElseThrow();
        assertEquals("s3cret-value", back.values().get(NodeKeys.PASSWORD).orElseThrow());
        assertFalse(back.toString().contains("s3cret-value"), back.toString());
    }

    @Test
    void discoveryRecords() {
        DiscoveryRecord st = new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260"),
                RecordValues.empty().with("discovery.sendtargets.auth.authmethod", "None"));
        DiscoveryRecord isns = new DiscoveryRecord(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3205"), RecordValues.empty());
        store.putDiscovery(st);
        store.putDiscovery(isns);
        assertEquals(st, store.discovery(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260")).orElseThrow());
        assertTrue(store.discovery(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3260")).isEmpty());
        assertEquals(2, store.discoveries().size());
        assertTrue(store.deleteDiscovery(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3205")));
        assertEquals(List.of(st), store.discoveries());
    }

    @Test
    void ifaceRecords() {
        IfaceRecord i = new IfaceRecord("iface0", RecordValues.empty().with(NodeKeys.IFACE_NAME, "iface0")
                .with(NodeKeys.TRANSPORT_NAME, "tcp").with(NodeKeys.IFACE_IPADDRESS, "127.0.0.2"));
        store.putIface(i);
        assertEquals(i, store.iface("iface0").orElseThrow());
        assertEquals(1, store.ifaces().size());
        assertTrue(store.deleteIface("iface0"));
        assertTrue(store.iface("iface0").isEmpty());
    }

    @Test
    void reopeningTheSameRootSeesTheRecords() {
        NodeRecord r = record("iqn.2026-11.org.kiscsi:p", "127.0.0.1:3260,1", "default");
        store.putNode(r);
        try (NodeStore again = provider.open(root)) {
            assertEquals(r, again.node(r.key()).orElseThrow());
        }
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.putNode(record("iqn.2026-11.org.kiscsi:c" + thread, "127.0.0.1:" + (3260 + i) + ",1", "default"));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, store.nodes().size());
    }

    @Test
    void aClosedStoreRefusesCalls() {
        store.close();
        assertThrows(RuntimeException.class, () -> store.nodes());
        store = provider.open(root);
    }
}

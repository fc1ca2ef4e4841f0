package org.kiscsi.store.memory.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreException;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.kiscsi.store.memory.MemoryNodeStore;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code memory} node store provider. Each root gets one store that lives as long as this
 * component: reopening a root while the bundle runs sees the same records; stopping the bundle
 * drops them all.
 */
@Component(service = NodeStoreProvider.class, property = NodeStoreProvider.NAME_PROPERTY + "=" + MemoryNodeStoreProvider.NAME)
public class MemoryNodeStoreProvider implements NodeStoreProvider {
    static final String NAME = "memory";

    private final Map<Path, MemoryNodeStore> stores = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NodeStore open(Path root) {
        MemoryNodeStore store = stores.computeIfAbsent(root.toAbsolutePath().normalize(),
                r -> new MemoryNodeStore("memory node store for " + r));
        return new SharedStore(store);
    }

    @Deactivate
    void deactivate() {
        stores.values().forEach(MemoryNodeStore::close);
        stores.clear();
    }

    /** A handle whose close() does not drop the shared records. */
    private static final class SharedStore implements NodeStore {
        private final MemoryNodeStore s;
        private volatile boolean closed;

        SharedStore(MemoryNodeStore s) {
            this.s = s;
        }

        private MemoryNodeStore s() {
            if (closed) {
                throw new NodeStoreException(s + ": this handle is closed");
            }
            return s;
        }

        @Override public List<NodeRecord> nodes() { return s().nodes(); }
        @Override public List<NodeRecord> nodes(IscsiName t) { return s().nodes(t); }
        @Override public Optional<NodeRecord> node(NodeKey k) { return s().node(k); }
        @Override public void putNode(NodeRecord r) { s().putNode(r); }
        @Override public boolean deleteNode(NodeKey k) { return s().deleteNode(k); }
        @Override public List<DiscoveryRecord> discoveries() { return s().discoveries(); }
        @Override public Optional<DiscoveryRecord> discovery(DiscoveryType t, Portal a) { return s().discovery(t, a); }
        @Override public void putDiscovery(DiscoveryRecord r) { s().putDiscovery(r); }
        @Override public boolean deleteDiscovery(DiscoveryType t, Portal a) { return s().deleteDiscovery(t, a); }
        @Override public List<IfaceRecord> ifaces() { return s().ifaces(); }
        @Override public Optional<IfaceRecord> iface(String n) { return s().iface(n); }
        @Override public void putIface(IfaceRecord r) { s().putIface(r); }
        @Override public boolean deleteIface(String n) { return s().deleteIface(n); }
        @Override public List<String> problems() { return s.problems(); }
        @Override public void close() { closed = true; }
    }
}

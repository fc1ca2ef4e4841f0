package org.kiscsi.iscsid.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

/**
 * A store provider over one set of records that hands out a fresh handle per open, as store-memory
 * and store-file do: closing a handle leaves the records for the next open. Remembers handles and roots.
 */
final class SharedRecordsProvider implements NodeStoreProvider {
    final String name;
    final MemoryNodeStore records;
    final List<Handle> handles = new ArrayList<>();
    final List<Path> roots = new ArrayList<>();

    SharedRecordsProvider(String name) {
        this.name = name;
        this.records = new MemoryNodeStore(name + " records");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized NodeStore open(Path root) {
        Handle h = new Handle(records);
        handles.add(h);
        roots.add(root);
        return h;
    }

    synchronized Handle last() {
        return handles.get(handles.size() - 1);
    }

    /** A handle on the shared records that can be closed on its own. */
    static final class Handle implements NodeStore {
        private final MemoryNodeStore shared;
        volatile boolean closed;

        Handle(MemoryNodeStore shared) {
            this.shared = shared;
        }

        private MemoryNodeStore s() {
            if (closed) {
                throw new NodeStoreException("handle on " + shared + " is closed");
            }
            return shared;
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
        @Override public List<String> problems() { return List.of(); }

        @Override
        public void close() {
            closed = true;
        }
    }
}

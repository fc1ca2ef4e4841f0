package org.kiscsi.store.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreException;

/** Records in memory, lost when the store is dropped. Thread-safe. */
public final class MemoryNodeStore implements NodeStore {
    /** Records sort by target, then portal address, port and TPGT, then iface, as iscsiadm lists them. */
    public static final Comparator<NodeKey> ORDER = Comparator.comparing(NodeKey::target)
            .thenComparing(k -> k.portal().address(), String.CASE_INSENSITIVE_ORDER)
            .thenComparingInt(k -> k.portal().port())
            .thenComparingInt(k -> k.portal().tpgt())
            .thenComparing(NodeKey::iface);

    private final String description;
    private final ConcurrentSkipListMap<NodeKey, NodeRecord> nodes = new ConcurrentSkipListMap<>(ORDER);
    private final Map<String, DiscoveryRecord> discoveries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, IfaceRecord> ifaces = new ConcurrentSkipListMap<>();
    private volatile boolean closed;

    /** @param description what this store is, for messages ("memory store for /etc/iscsi") */
    public MemoryNodeStore(String description) {
        this.description = description;
    }

    private void open() {
        if (closed) {
            throw new NodeStoreException(description + " is closed");
        }
    }

    private static String discoveryKey(DiscoveryType type, Portal address) {
        return type.recordName() + " " + address.withoutTpgt().hostPort().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public List<NodeRecord> nodes() {
        open();
        return List.copyOf(nodes.values());
    }

    @Override
    public List<NodeRecord> nodes(IscsiName target) {
        open();
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord r : nodes.values()) {
            if (r.target().equals(target)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public Optional<NodeRecord> node(NodeKey key) {
        open();
        return Optional.ofNullable(nodes.get(key));
    }

    @Override
    public void putNode(NodeRecord record) {
        open();
        nodes.put(record.key(), record);
    }

    @Override
    public boolean deleteNode(NodeKey key) {
        open();
        return nodes.remove(key) != null;
    }

    @Override
    public List<DiscoveryRecord> discoveries() {
        open();
        List<DiscoveryRecord> out = new ArrayList<>(discoveries.values());
        out.sort(Comparator.comparing((DiscoveryRecord d) -> d.type()).thenComparing(d -> d.address().hostPort()));
        return out;
    }

    @Override
    public Optional<DiscoveryRecord> discovery(DiscoveryType type, Portal address) {
        open();
        return Optional.ofNullable(discoveries.get(discoveryKey(type, address)));
    }

    @Override
    public void putDiscovery(DiscoveryRecord record) {
        open();
        discoveries.put(discoveryKey(record.type(), record.address()), record);
    }

    @Override
    public boolean deleteDiscovery(DiscoveryType type, Portal address) {
        open();
        return discoveries.remove(discoveryKey(type, address)) != null;
    }

    @Override
    public List<IfaceRecord> ifaces() {
        open();
        return List.copyOf(ifaces.values());
    }

    @Override
    public Optional<IfaceRecord> iface(String name) {
        open();
        return Optional.ofNullable(ifaces.get(name));
    }

    @Override
    public void putIface(IfaceRecord record) {
        open();
        ifaces.put(record.name(), record);
    }

    @Override
    public boolean deleteIface(String name) {
        open();
        return ifaces.remove(name) != null;
    }

    @Override
    public List<String> problems() {
        return List.of();
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * A view of these records with a close() of its own: closing it leaves the records, and every
     * other handle, as they are. How a provider gives each opener its own store over shared records.
     */
    public Handle handle() {
        return new Handle(this);
    }

    @Override
    public String toString() {
        return description;
    }

    /** See {@link MemoryNodeStore#handle()}. */
    public static final class Handle implements NodeStore {
        private final MemoryNodeStore s;
        private volatile boolean closed;

        private Handle(MemoryNodeStore s) {
            this.s = s;
        }

        private MemoryNodeStore s() {
            if (closed) {
                throw new NodeStoreException(s + ": this handle is closed");
            }
            return s;
        }

        /** True once this handle (not necessarily the records) is closed. */
        public boolean isClosed() {
            return closed;
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

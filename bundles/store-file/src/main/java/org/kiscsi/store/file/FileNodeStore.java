package org.kiscsi.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
import org.kiscsi.store.file.internal.AtomicFiles;
import org.kiscsi.store.file.internal.DiscoveryFiles;
import org.kiscsi.store.file.internal.IfaceFiles;
import org.kiscsi.store.file.internal.NodeFiles;
import org.kiscsi.store.file.internal.Problems;
import org.kiscsi.store.file.internal.RecordFiles;
import org.kiscsi.store.file.internal.StoreLayout;
import org.kiscsi.store.file.internal.StoreLock;

/**
 * Node, discovery and iface records in open-iscsi's layout under a root such as {@code /etc/iscsi}
 * (the directory of iscsid.conf), in open-iscsi's record format, so iscsiadm and kiscsi read each
 * other's records. Nothing is cached: every call reads the files, so several processes can share a
 * root. Each write replaces files atomically (iscsiadm never sees part of a record), and every call
 * takes a lock on {@code .kiscsi/lock} for the few local file operations it does. A broken record is listed in {@link #problems()} with its file and
 * line and left out; the others load.
 *
 * <p>Keys open-iscsi does not know are kept in {@code .kiscsi/extra/} (open-iscsi 2.1.8's iscsiadm
 * refuses record files holding them); empty values are not stored, as in open-iscsi.
 */
public final class FileNodeStore implements NodeStore {
    /** The open-iscsi version written on {@code # BEGIN RECORD} lines: the record format kiscsi writes. */
    public static final String RECORD_VERSION = "2.1.8";

    private static final Comparator<NodeRecord> ORDER = Comparator.comparing((NodeRecord r) -> r.target())
            .thenComparing(r -> r.portal().address(), String.CASE_INSENSITIVE_ORDER)
            .thenComparingInt(r -> r.portal().port())
            .thenComparingInt(r -> r.portal().tpgt())
            .thenComparing(NodeRecord::iface);

    private final StoreLayout layout;
    private final StoreLock lock;
    private final Problems problems = new Problems();
    private final NodeFiles nodes;
    private final DiscoveryFiles discoveries;
    private final IfaceFiles ifaces;
    private volatile boolean closed;

    private FileNodeStore(Path root) {
        this.layout = new StoreLayout(root);
        this.lock = new StoreLock(layout.lockFile());
        AtomicFiles atomic = new AtomicFiles(layout.tempDir());
        RecordFiles files = new RecordFiles(layout, atomic, RECORD_VERSION);
        this.nodes = new NodeFiles(layout, files, problems);
        this.discoveries = new DiscoveryFiles(layout, files, problems);
        this.ifaces = new IfaceFiles(layout, files, problems);
    }

    /**
     * Opens the store under {@code root}, creating the directory when absent, removing what a
     * writer that crashed left behind, and reading every record once so {@link #problems()} is filled.
     *
     * @throws NodeStoreException when the root is not a directory kiscsi can write; the message names it
     */
    public static FileNodeStore open(Path root) {
        FileNodeStore store = new FileNodeStore(root);
        Path r = store.layout.root();
        try {
            AtomicFiles.mkdirs(r);
            if (!Files.isWritable(r)) {
                throw new NodeStoreException("node store " + r + " is not writable");
            }
            try (StoreLock.Held held = store.lock.acquire()) {
                new AtomicFiles(store.layout.tempDir()).removeLeftovers();
                store.nodes.scan(Optional.empty());
                store.discoveries.scan();
                store.ifaces.scan();
            }
        } catch (IOException e) {
            throw new NodeStoreException("cannot open the node store " + r + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The root directory (where iscsid.conf lives). */
    public Path root() {
        return layout.root();
    }

    private void checkOpen() {
        if (closed) {
            throw new NodeStoreException("file node store " + layout.root() + " is closed");
        }
    }

    /**
     * Runs file work under the store lock. Reads take it too: a record with extra keys is two files,
     * and a reader must not see one old and one new.
     */
    private <T> T locked(String what, IoAction<T> action) {
        checkOpen();
        try (StoreLock.Held held = lock.acquire()) {
            return action.run();
        } catch (IOException e) {
            throw new NodeStoreException("node store " + layout.root() + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    @Override
    public List<NodeRecord> nodes() {
        List<NodeRecord> all = locked("list node records", () -> nodes.scan(Optional.empty()));
        all.sort(ORDER);
        return all;
    }

    @Override
    public List<NodeRecord> nodes(IscsiName target) {
        List<NodeRecord> some = locked("list the records of " + target, () -> nodes.scan(Optional.of(target)));
        some.removeIf(r -> !r.target().equals(target));
        some.sort(ORDER);
        return some;
    }

    @Override
    public Optional<NodeRecord> node(NodeKey key) {
        return locked("read " + key, () -> nodes.get(key));
    }

    @Override
    public void putNode(NodeRecord record) {
        locked("write " + record.key(), () -> {
            nodes.put(record);
            return null;
        });
    }

    @Override
    public boolean deleteNode(NodeKey key) {
        return locked("delete " + key, () -> nodes.delete(key));
    }

    @Override
    public List<DiscoveryRecord> discoveries() {
        List<DiscoveryRecord> all = locked("list discovery records", discoveries::scan);
        all.sort(Comparator.comparing(DiscoveryRecord::type).thenComparing(d -> d.address().hostPort()));
        return all;
    }

    @Override
    public Optional<DiscoveryRecord> discovery(DiscoveryType type, Portal address) {
        return locked("read " + type + " discovery record " + address.hostPort(),
                () -> discoveries.get(type, address.withoutTpgt()));
    }

    @Override
    public void putDiscovery(DiscoveryRecord record) {
        locked("write " + record.type() + " discovery record " + record.address().hostPort(), () -> {
            discoveries.put(record);
            return null;
        });
    }

    @Override
    public boolean deleteDiscovery(DiscoveryType type, Portal address) {
        return locked("delete " + type + " discovery record " + address.hostPort(),
                () -> discoveries.delete(type, address.withoutTpgt()));
    }

    @Override
    public List<IfaceRecord> ifaces() {
        return locked("list iface records", ifaces::scan);
    }

    @Override
    public Optional<IfaceRecord> iface(String name) {
        return locked("read iface " + name, () -> ifaces.get(name));
    }

    @Override
    public void putIface(IfaceRecord record) {
        locked("write iface " + record.name(), () -> {
            ifaces.put(record);
            return null;
        });
    }

    @Override
    public boolean deleteIface(String name) {
        return locked("delete iface " + name, () -> ifaces.delete(name));
    }

    @Override
    public List<String> problems() {
        return problems.list();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "file node store " + layout.root();
    }
}

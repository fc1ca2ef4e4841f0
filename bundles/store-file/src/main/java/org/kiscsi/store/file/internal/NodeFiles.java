package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStoreException;

/** Node records under {@code nodes/}: finding, reading, writing and deleting them with their links. */
public final class NodeFiles {
    private final StoreLayout layout;
    private final RecordFiles files;
    private final DiscoveryLinks links;
    private final Problems problems;

    public NodeFiles(StoreLayout layout, RecordFiles files, Problems problems) {
        this.layout = layout;
        this.files = files;
        this.links = new DiscoveryLinks(layout);
        this.problems = problems;
    }

    /** Every readable record (of one target when {@code target} is given); broken ones go to the problems. */
    public List<NodeRecord> scan(Optional<IscsiName> target) {
        List<Path> targetDirs = target.map(t -> List.of(layout.targetDir(t))).orElseGet(() -> StoreLayout.list(layout.nodes()));
        if (target.isEmpty()) {
            problems.clearUnder(layout.nodes());
        }
        List<NodeRecord> out = new ArrayList<>();
        for (Path targetDir : targetDirs) {
            for (Path entry : StoreLayout.list(targetDir)) {
                Optional<Portal> portal = PortalName.parse(entry.getFileName().toString());
                if (portal.isEmpty()) {
                    continue; // open-iscsi skips what is not <ip>,<port>[,<tpgt>] too
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    for (Path file : StoreLayout.list(entry)) {
                        if (StoreLayout.isSafeName(file.getFileName().toString())) {
                            load(file, targetDir, portal.get()).ifPresent(out::add);
                        }
                    }
                } else if (!portal.get().hasTpgt()) {
                    load(entry, targetDir, portal.get()).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** The record with this key, if there is a readable one. */
    public Optional<NodeRecord> get(NodeKey key) {
        for (Path file : candidates(key)) {
            Optional<NodeRecord> r = load(file, layout.targetDir(key.target()), PortalName.parse(
                    file.getParent().equals(layout.targetDir(key.target())) ? file.getFileName().toString()
                            : file.getParent().getFileName().toString()).orElse(key.portal()));
            if (r.isPresent() && r.get().key().equals(key)) {
                return r;
            }
        }
        return Optional.empty();
    }

    /** The files that may hold the key's record: its own, then the file form (which may carry a TPGT). */
    private List<Path> candidates(NodeKey key) {
        Path own = layout.nodeFile(key);
        if (!key.portal().hasTpgt()) {
            return List.of(own);
        }
        return List.of(own, layout.nodeFile(new NodeKey(key.target(), key.portal().withoutTpgt(), key.iface())));
    }

    /**
     * Reads one file and checks that it holds the record its path says; a file-form record may
     * carry a TPGT and any iface (older iscsiadm wrote them so).
     */
    private Optional<NodeRecord> load(Path file, Path targetDir, Portal pathPortal) {
        try {
            Optional<Map<String, String>> values = files.read(file);
            if (values.isEmpty()) {
                return Optional.empty();
            }
            NodeRecord r = NodeRecord.of(RecordValues.of(values.get()));
            boolean fileForm = file.getParent().equals(targetDir);
            String mismatch = mismatch(r, targetDir, pathPortal, fileForm ? null : file.getFileName().toString());
            if (mismatch != null) {
                problems.found(file, file + ":1: " + mismatch);
                return Optional.empty();
            }
            problems.cleared(file);
            return Optional.of(r);
        } catch (RecordFormatException | IscsiException | IOException e) {
            problems.unreadable(file, e);
        }
        return Optional.empty();
    }

    private static String mismatch(NodeRecord r, Path targetDir, Portal pathPortal, String ifaceFromPath) {
        if (!r.target().value().equalsIgnoreCase(targetDir.getFileName().toString())) {
            return "record is for target " + r.target() + " but lies under " + targetDir.getFileName();
        }
        Portal p = r.portal();
        if (!p.address().equalsIgnoreCase(pathPortal.address()) || p.port() != pathPortal.port()
                || (ifaceFromPath != null && p.tpgt() != pathPortal.tpgt())) {
            return "record is for portal " + p + " but its path says " + pathPortal;
        }
        if (ifaceFromPath != null && !r.iface().equals(ifaceFromPath)) {
            return "record is for iface " + r.iface() + " but its file is named " + ifaceFromPath;
        }
        return null;
    }

    /** Creates or replaces a record (call under the store lock). */
    public void put(NodeRecord r) throws IOException {
        checkNames(r.key());
        Path file = layout.nodeFile(r.key());
        if (r.portal().hasTpgt() && !Files.exists(file)) {
            // an older iscsiadm's file-form record that carries this TPGT is updated where it is
            Path fileForm = layout.nodeFile(new NodeKey(r.target(), r.portal().withoutTpgt(), r.iface()));
            if (existingKey(fileForm).filter(r.key()::equals).isPresent()) {
                file = fileForm;
            }
        }
        Optional<NodeRecord> old = readQuietly(file);
        if (!r.portal().hasTpgt() && old.isPresent() && !old.get().iface().equals(r.iface())) {
            throw new NodeStoreException(file + " holds the record of " + old.get().key() + ": open-iscsi's layout keeps one"
                    + " record per portal whose TPGT is unknown, so " + r.key() + " cannot be stored beside it");
        }
        if (old.isPresent() && !links.linkOf(old.get()).equals(links.linkOf(r))) {
            links.unlink(old.get());
        }
        files.write(file, RecordKind.NODE, r.values().asMap());
        problems.cleared(file);
        links.link(r, file);
    }

    /** Deletes a record, its link and the directories it leaves empty (call under the store lock). */
    public boolean delete(NodeKey key) throws IOException {
        for (Path file : candidates(key)) {
            Optional<NodeRecord> r = readQuietly(file);
            boolean broken = r.isEmpty() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
            if (r.filter(x -> x.key().equals(key)).isPresent() || (broken && file.equals(layout.nodeFile(key)))) {
                if (r.isPresent()) {
                    links.unlink(r.get());
                }
                files.delete(file);
                problems.cleared(file);
                Path parent = file.getParent();
                if (!parent.equals(layout.targetDir(key.target()))) {
                    AtomicFiles.removeIfEmpty(parent);
                    parent = parent.getParent();
                }
                AtomicFiles.removeIfEmpty(parent);
                return true;
            }
        }
        return false;
    }

    private Optional<NodeKey> existingKey(Path file) {
        return readQuietly(file).map(NodeRecord::key);
    }

    private Optional<NodeRecord> readQuietly(Path file) {
        try {
            return files.read(file).map(v -> NodeRecord.of(RecordValues.of(v)));
        } catch (RecordFormatException | IscsiException | IOException e) {
            return Optional.empty();
        }
    }

    private static void checkNames(NodeKey key) {
        if (!StoreLayout.isSafeName(key.target().value()) || !StoreLayout.isSafeName(key.portal().address())
                || !StoreLayout.isSafeName(key.iface()) || key.iface().contains(",")) {
            throw new NodeStoreException("record " + key + " cannot be stored: its target, address or iface is not a file name");
        }
    }
}

package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;

/**
 * The links open-iscsi keeps from a discovery source to the node records it found
 * ({@code send_targets/<ip>,<port>/<target>,<ip>,<port>,<tpgt>,<iface>} and the like, pointing at
 * {@code nodes/<target>/<ip>,<port>,<tpgt>}); iscsiadm uses them to delete a discovery source's
 * nodes. As in open-iscsi, records whose TPGT is unknown get none, a SendTargets link is made only
 * when that discovery record's directory exists, and an iSNS link without one is of the old style.
 */
public final class DiscoveryLinks {
    private final StoreLayout layout;

    public DiscoveryLinks(StoreLayout layout) {
        this.layout = layout;
    }

    /** Where the link for this record belongs, if it has one. */
    public Optional<Path> linkOf(NodeRecord r) {
        if (!r.portal().hasTpgt()) {
            return Optional.empty();
        }
        String type = r.values().get(NodeKeys.DISCOVERY_TYPE, "");
        String name = StoreLayout.linkName(r.key());
        switch (type) {
            case "send_targets":
                return sourceDir(StoreLayout.SEND_TARGETS, r).map(d -> d.resolve(name));
            case "isns":
                return Optional.of(isnsLink(r, name));
            case "static":
                return Optional.of(layout.root().resolve(StoreLayout.STATIC).resolve(name));
            case "fw":
                return Optional.of(layout.root().resolve(StoreLayout.FW).resolve(name));
            default:
                return Optional.empty();
        }
    }

    private Optional<Path> sourceDir(String base, NodeRecord r) {
        Optional<String> address = r.values().get(NodeKeys.DISCOVERY_ADDRESS);
        Optional<String> port = r.values().get(NodeKeys.DISCOVERY_PORT);
        if (address.isEmpty() || port.isEmpty() || !StoreLayout.isSafeName(address.get())) {
            return Optional.empty();
        }
        Path dir = layout.root().resolve(base).resolve(address.get() + "," + port.get().trim());
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * 2.1.8's iSNS link: in the server's directory when that exists ({@code -o new} of the iSNS record
     * made it), else the old style, {@code isns/<target>,<ip>,<port>,<tpgt>,<iface>} (what
     * {@code -m discovery -t isns} leaves, as it writes no iSNS record); an old-style link already
     * there is the one kept.
     */
    private Path isnsLink(NodeRecord r, String name) {
        Path old = layout.root().resolve(StoreLayout.ISNS).resolve(name);
        if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            return old;
        }
        return sourceDir(StoreLayout.ISNS, r).map(d -> d.resolve(name)).orElse(old);
    }

    /** Makes the record's link (absolute, as open-iscsi makes it) unless it is there. */
    public void link(NodeRecord r, Path nodeFile) throws IOException {
        Optional<Path> link = linkOf(r);
        if (link.isEmpty() || Files.exists(link.get(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        AtomicFiles.mkdirs(link.get().getParent());
        Files.createSymbolicLink(link.get(), nodeFile.getParent());
    }

    public void unlink(NodeRecord r) throws IOException {
        Optional<Path> link = linkOf(r);
        if (link.isPresent()) {
            Files.deleteIfExists(link.get());
        }
    }
}

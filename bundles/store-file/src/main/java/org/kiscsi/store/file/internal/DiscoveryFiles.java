package org.kiscsi.store.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStoreException;

/**
 * Discovery records: {@code send_targets/<ip>,<port>/st_config} and {@code isns/<ip>,<port>/isns_config}.
 * The type and address are the record's identity ({@link DiscoveryRecord#type()},
 * {@link DiscoveryRecord#address()}): they are written into the file, where iscsiadm reads them,
 * and not repeated in {@link DiscoveryRecord#values()}.
 */
public final class DiscoveryFiles {
    static final String TYPE = "discovery.type";
    static final String ADDRESS = "discovery.sendtargets.address";
    static final String PORT = "discovery.sendtargets.port";

    private final StoreLayout layout;
    private final RecordFiles files;
    private final Problems problems;

    public DiscoveryFiles(StoreLayout layout, RecordFiles files, Problems problems) {
        this.layout = layout;
        this.files = files;
        this.problems = problems;
    }

    public List<DiscoveryRecord> scan() {
        List<DiscoveryRecord> out = new ArrayList<>();
        for (DiscoveryType type : List.of(DiscoveryType.SENDTARGETS, DiscoveryType.ISNS)) {
            Path base = layout.root().resolve(type == DiscoveryType.ISNS ? StoreLayout.ISNS : StoreLayout.SEND_TARGETS);
            problems.clearUnder(base);
            for (Path entry : StoreLayout.list(base)) {
                // open-iscsi skips the old-style node links an iSNS directory may hold the same way
                Optional<Portal> address = PortalName.parse(entry.getFileName().toString()).filter(p -> !p.hasTpgt());
                if (address.isPresent() && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    get(type, address.get()).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    public Optional<DiscoveryRecord> get(DiscoveryType type, Portal address) {
        Optional<Path> file = layout.discoveryFile(type, address);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Map<String, String>> values = files.read(file.get());
            if (values.isEmpty()) {
                return Optional.empty();
            }
            Optional<Portal> pathAddress = PortalName.parse(file.get().getParent().getFileName().toString());
            DiscoveryRecord r = toRecord(type, pathAddress.orElse(address), values.get(), file.get());
            problems.cleared(file.get());
            return Optional.of(r);
        } catch (RecordFormatException | IscsiException | IOException e) {
            problems.unreadable(file.get(), e);
        }
        return Optional.empty();
    }

    private static DiscoveryRecord toRecord(DiscoveryType type, Portal pathAddress, Map<String, String> values, Path file) {
        String fileType = values.getOrDefault(TYPE, type.recordName());
        if (!fileType.equals(type.recordName())) {
            throw new IscsiException(org.kiscsi.api.IscsiError.IDBM,
                    TYPE + " is '" + fileType + "' in a " + type.recordName() + " directory");
        }
        String address = values.getOrDefault(ADDRESS, pathAddress.address());
        String port = values.getOrDefault(PORT, Integer.toString(pathAddress.port()));
        if (!address.equalsIgnoreCase(pathAddress.address()) || !port.trim().equals(Integer.toString(pathAddress.port()))) {
            throw new IscsiException(org.kiscsi.api.IscsiError.IDBM, "record is for " + address + "," + port
                    + " but lies under " + file.getParent().getFileName());
        }
        Map<String, String> rest = new LinkedHashMap<>(values);
        rest.remove(TYPE);
        rest.remove(ADDRESS);
        rest.remove(PORT);
        return new DiscoveryRecord(type, pathAddress, RecordValues.of(rest));
    }

    /** Writes the record (call under the store lock). */
    public void put(DiscoveryRecord r) throws IOException {
        Path file = fileOf(r.type(), r.address());
        Map<String, String> values = new LinkedHashMap<>();
        values.put(TYPE, r.type().recordName());
        values.put(ADDRESS, r.address().address());
        values.put(PORT, Integer.toString(r.address().port()));
        r.values().asMap().forEach((k, v) -> {
            if (!values.containsKey(k)) {
                values.put(k, v);
            }
        });
        files.write(file, r.type() == DiscoveryType.ISNS ? RecordKind.ISNS : RecordKind.SENDTARGETS, values);
        problems.cleared(file);
    }

    /**
     * Deletes the record, the links to the nodes it found and its directory (call under the lock).
     * The node records themselves stay: deleting them is iscsiadm's (or kiscsi's command's) choice.
     */
    public boolean delete(DiscoveryType type, Portal address) throws IOException {
        Optional<Path> file = layout.discoveryFile(type, address);
        if (file.isEmpty() || !Files.exists(file.get().getParent(), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        boolean was = files.delete(file.get());
        problems.cleared(file.get());
        for (Path link : StoreLayout.list(file.get().getParent())) {
            if (Files.isSymbolicLink(link)) {
                Files.deleteIfExists(link);
            }
        }
        AtomicFiles.removeIfEmpty(file.get().getParent());
        return was;
    }

    private Path fileOf(DiscoveryType type, Portal address) {
        if (!StoreLayout.isSafeName(address.address())) {
            throw new NodeStoreException("discovery address " + address.hostPort() + " is not a file name");
        }
        return layout.discoveryFile(type, address).orElseThrow(() -> new NodeStoreException(
                "open-iscsi keeps no discovery record of type " + type + " (only sendtargets and isns): "
                        + address.hostPort()));
    }
}

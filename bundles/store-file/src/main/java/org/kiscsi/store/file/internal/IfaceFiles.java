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
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStoreException;

/** Iface records: {@code ifaces/<name>}. */
public final class IfaceFiles {
    private final StoreLayout layout;
    private final RecordFiles files;
    private final Problems problems;

    public IfaceFiles(StoreLayout layout, RecordFiles files, Problems problems) {
        this.layout = layout;
        this.files = files;
        this.problems = problems;
    }

    public List<IfaceRecord> scan() {
        problems.clearUnder(layout.ifaces());
        List<IfaceRecord> out = new ArrayList<>();
        for (Path p : StoreLayout.list(layout.ifaces())) {
            String name = p.getFileName().toString();
            if (StoreLayout.isSafeName(name) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                get(name).ifPresent(out::add);
            }
        }
        return out;
    }

    public Optional<IfaceRecord> get(String name) {
        if (!StoreLayout.isSafeName(name)) {
            return Optional.empty();
        }
        Path file = layout.ifaceFile(name);
        try {
            Optional<Map<String, String>> values = files.read(file);
            if (values.isEmpty()) {
                return Optional.empty();
            }
            String inFile = values.get().getOrDefault(NodeKeys.IFACE_NAME, name);
            if (!inFile.equals(name)) {
                problems.found(file, file + ":1: record is for iface " + inFile + " but its file is named " + name);
                return Optional.empty();
            }
            IfaceRecord r = new IfaceRecord(name, RecordValues.of(values.get()));
            problems.cleared(file);
            return Optional.of(r);
        } catch (RecordFormatException | IscsiException | IOException e) {
            problems.unreadable(file, e);
        }
        return Optional.empty();
    }

    /** Writes the record (call under the store lock). */
    public void put(IfaceRecord r) throws IOException {
        if (!StoreLayout.isSafeName(r.name())) {
            throw new NodeStoreException("iface name '" + r.name() + "' is not a file name");
        }
        Path file = layout.ifaceFile(r.name());
        files.write(file, RecordKind.IFACE, r.values().asMap());
        problems.cleared(file);
    }

    public boolean delete(String name) throws IOException {
        if (!StoreLayout.isSafeName(name)) {
            return false;
        }
        Path file = layout.ifaceFile(name);
        problems.cleared(file);
        return files.delete(file);
    }
}

package org.kiscsi.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.peers.OpenIscsiAdm;

/**
 * Node records in an unpacked installation's file store (etc/iscsi/nodes/...), written before the
 * daemon starts as open-iscsi's {@code iscsiadm -m node -o new} would: the {@code node.*} defaults
 * of etc/iscsi/iscsid.conf plus the record's identity; or by open-iscsi's iscsiadm itself
 * ({@link #openIscsi}). Also what a test reads back from the install.
 */
final class InstallRecords {
    private final Path home;

    InstallRecords(Path home) {
        this.home = home;
    }

    Path storeRoot() {
        return home.resolve("etc/iscsi");
    }

    Path resyncFile() {
        return home.resolve("data/iscsid/sessions.resync");
    }

    /** Writes the record for {@code target} at {@code portal}, iface default; node.startup automatic or manual. */
    NodeRecord write(String target, Portal portal, boolean automatic) throws IOException {
        NodeKey key = new NodeKey(IscsiName.of(target), portal, null);
        NodeRecord r = NodeRecord.create(key, confDefaults()).with(NodeKeys.STARTUP, automatic ? "automatic" : "manual");
        try (FileNodeStore store = FileNodeStore.open(storeRoot())) {
            store.putNode(r);
        }
        return r;
    }

    /** Writes the record for {@code target} at {@code portal}, iface default, iscsid.conf's defaults overridden by {@code values}. */
    NodeRecord write(String target, Portal portal, Map<String, String> values) throws IOException {
        return write(target, portal, null, values);
    }

    /** As {@link #write(String, Portal, Map)} through iface {@code iface} (null: default). */
    NodeRecord write(String target, Portal portal, String iface, Map<String, String> values) throws IOException {
        NodeKey key = new NodeKey(IscsiName.of(target), portal, iface);
        NodeRecord r = NodeRecord.create(key, confDefaults());
        for (Map.Entry<String, String> e : values.entrySet()) {
            r = r.with(e.getKey(), e.getValue());
        }
        try (FileNodeStore store = FileNodeStore.open(storeRoot())) {
            store.putNode(r);
        }
        return r;
    }

    /**
     * open-iscsi's own iscsiadm on this installation's etc/iscsi (the store's root, with the
     * installation's iscsid.conf): records written the way a user of open-iscsi writes them.
     */
    OpenIscsiAdm openIscsi(Path scratch) throws IOException {
        return OpenIscsiAdm.on(storeRoot(), scratch);
    }

    /** The node.* lines of iscsid.conf, in order. */
    private RecordValues confDefaults() throws IOException {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : Files.readAllLines(storeRoot().resolve("iscsid.conf"))) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.startsWith("node.") && eq > 0) {
                v.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
        }
        return RecordValues.of(v);
    }

    /** Forgets every node record and the re-sync list: each test starts from an empty database. */
    void clear() throws IOException {
        Path nodes = storeRoot().resolve("nodes");
        if (Files.exists(nodes)) {
            try (Stream<Path> s = Files.walk(nodes)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.deleteIfExists(resyncFile());
    }

    /** The InitiatorName of etc/iscsi/initiatorname.iscsi (bin/iscsid creates the file at first start). */
    String initiatorName() throws IOException {
        Path f = storeRoot().resolve("initiatorname.iscsi");
        Optional<String> name = Files.readAllLines(f).stream().map(String::strip).filter(l -> l.startsWith("InitiatorName="))
                .map(l -> l.substring("InitiatorName=".length())).findFirst();
        return name.orElseThrow(() -> new AssertionError("no InitiatorName= line in " + f));
    }

    /** The re-sync list's contents; empty when there is none. */
    String resyncList() throws IOException {
        return Files.exists(resyncFile()) ? Files.readString(resyncFile()) : "";
    }

    /**
     * Every record file of the store with its bytes (as ISO-8859-1 text, byte for byte): nodes/ and
     * the private extra-keys copies; not the lock or temp files. Proves a store swap wrote nothing.
     */
    Map<String, String> recordFiles() throws IOException {
        Map<String, String> out = new TreeMap<>();
        Path root = storeRoot();
        for (Path dir : new Path[] {root.resolve("nodes"), root.resolve(".kiscsi/extra")}) {
            if (!Files.exists(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    out.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return out;
    }
}

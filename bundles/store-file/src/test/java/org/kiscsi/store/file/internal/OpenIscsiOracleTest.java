package org.kiscsi.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.peers.OpenIscsiAdm;

/**
 * Both directions against open-iscsi 2.1.8's own iscsiadm, key for key: records iscsiadm wrote are
 * read by kiscsi, records kiscsi wrote are read by iscsiadm, and kiscsi writes a record byte for
 * byte as iscsiadm does. Every expected value comes from iscsiadm at test time.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OpenIscsiOracleTest {
    private static final String T = "iqn.2026-11.org.kiscsi.oracle:disk1";
    private static final Pattern CANNOT_MODIFY = Pattern.compile("Cannot modify ([^ ]+)\\.");

    @TempDir
    Path tmp;
    Path etc;
    OpenIscsiAdm adm;

    @BeforeEach
    void oracle() throws Exception {
        etc = tmp.resolve("etc-iscsi");
        adm = OpenIscsiAdm.on(etc, tmp);
    }

    @Test
    void nodeRecordsIscsiadmWroteAreReadKeyForKey() throws Exception {
        adm.ok("-m", "iface", "-I", "iface1", "-o", "new", "-n", "iface.ipaddress", "-v", "127.0.0.2",
                "-n", "iface.initiatorname", "-v", "iqn.2026-11.org.kiscsi.oracle:init");
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1");
        adm.ok("-m", "node", "-T", T, "-p", "127.0.0.1:3260,1", "-o", "update",
                "-n", "node.startup", "-v", "automatic",
                "-n", "node.session.auth.authmethod", "-v", "CHAP",
                "-n", "node.session.auth.chap_algs", "-v", "SHA256,MD5",
                "-n", "node.session.auth.username", "-v", "oracle-user",
                "-n", "node.session.auth.password", "-v", "oracle-secret-1",
                "-n", "node.session.auth.username_in", "-v", "oracle-target",
                "-n", "node.session.auth.password_in", "-v", "oracle-secret-2",
                "-n", "node.conn[0].timeo.login_timeout", "-v", "7",
                "-n", "node.conn[0].timeo.noop_out_interval", "-v", "11",
                "-n", "node.session.timeo.replacement_timeout", "-v", "33",
                "-n", "node.conn[0].iscsi.HeaderDigest", "-v", "CRC32C,None");
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3261");
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "[::1]:3260,2");
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "[fe80::1%lo]:3260,5");
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3262,3", "-I", "iface1");

        Path target = etc.resolve("nodes").resolve(T);
        assertTrue(Files.isRegularFile(target.resolve("127.0.0.1,3261")), "the file form for an unknown TPGT");
        assertTrue(Files.isRegularFile(target.resolve("127.0.0.1,3260,1/default")));
        assertTrue(Files.isRegularFile(target.resolve("::1,3260,2/default")));
        assertTrue(Files.isRegularFile(target.resolve("fe80::1%lo,3260,5/default")));
        assertTrue(Files.isRegularFile(target.resolve("127.0.0.1,3262,3/iface1")));

        try (FileNodeStore store = FileNodeStore.open(etc)) {
            List<NodeRecord> all = store.nodes();
            assertEquals(List.of(), store.problems());
            assertEquals(5, all.size(), all::toString);
            assertEquals(listing(adm.ok("-m", "node")), kiscsiListing(all));
            for (NodeRecord r : all) {
                String portal = r.portal().hostPort() + (r.portal().hasTpgt() ? "," + r.portal().tpgt() : "");
                Map<String, String> show = OpenIscsiAdm.parseShow(adm.ok("-m", "node", "-T", T, "-p", portal, "-I", r.iface(), "-o", "show"));
                assertKeyForKey(show, r.values().asMap(), fileValues(fileOf(r)), r.key().toString());
                assertEquals(r, store.node(r.key()).orElseThrow());
            }
            NodeRecord chap = store.node(new NodeKey(IscsiName.of(T), Portal.parse("127.0.0.1:3260,1"), "default")).orElseThrow();
            assertEquals("oracle-secret-1", chap.values().get(NodeKeys.PASSWORD).orElseThrow());
            assertFalse(chap.toString().contains("oracle-secret"), chap::toString);
        }
    }

    @Test
    void discoveryAndIfaceRecordsIscsiadmWroteAreReadKeyForKey() throws Exception {
        adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "new");
        adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "update",
                "-n", "discovery.sendtargets.auth.authmethod", "-v", "CHAP",
                "-n", "discovery.sendtargets.auth.username", "-v", "disc-user",
                "-n", "discovery.sendtargets.auth.password", "-v", "disc-secret-1",
                "-n", "discovery.sendtargets.timeo.login_timeout", "-v", "9",
                "-n", "discovery.sendtargets.use_discoveryd", "-v", "Yes");
        adm.ok("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.1:3205", "-o", "new");
        adm.ok("-m", "iface", "-I", "iface0", "-o", "new", "-n", "iface.ipaddress", "-v", "127.0.0.2",
                "-n", "iface.initiatorname", "-v", "iqn.2026-11.org.kiscsi.oracle:init0");

        try (FileNodeStore store = FileNodeStore.open(etc)) {
            assertEquals(List.of(), store.problems());
            assertEquals(2, store.discoveries().size());
            DiscoveryRecord st = store.discovery(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260")).orElseThrow();
            Map<String, String> show = OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "show"));
            assertKeyForKey(show, withIdentity(st), fileValues(etc.resolve("send_targets/127.0.0.1,3260/st_config")), "st");
            assertEquals("disc-secret-1", st.values().get("discovery.sendtargets.auth.password").orElseThrow());

            DiscoveryRecord isns = store.discovery(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3205")).orElseThrow();
            show = OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.1:3205", "-o", "show"));
            assertKeyForKey(show, withIdentity(isns), fileValues(etc.resolve("isns/127.0.0.1,3205/isns_config")), "isns");

            IfaceRecord iface = store.iface("iface0").orElseThrow();
            show = OpenIscsiAdm.parseShow(adm.ok("-m", "iface", "-I", "iface0"));
            assertKeyForKey(show, iface.values().asMap(), fileValues(etc.resolve("ifaces/iface0")), "iface0");
            assertEquals(List.of(iface), store.ifaces());
        }
    }

    @Test
    void recordsKiscsiWroteAreReadByIscsiadmKeyForKey() throws Exception {
        IscsiName t = IscsiName.of(T);
        RecordValues common = RecordValues.empty()
                .with(NodeKeys.STARTUP, "automatic").with(NodeKeys.AUTH_METHOD, "CHAP")
                .with(NodeKeys.USERNAME, "kiscsi-user").with(NodeKeys.PASSWORD, "kiscsi-secret-1")
                .with(NodeKeys.USERNAME_IN, "kiscsi-target").with(NodeKeys.PASSWORD_IN, "kiscsi-secret-2")
                .with(NodeKeys.LOGIN_TIMEOUT, "9").with(NodeKeys.REPLACEMENT_TIMEOUT, "44")
                .with(NodeKeys.HEADER_DIGEST, "CRC32C").with(NodeKeys.TRANSPORT_NAME, "tcp")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, "30"); // kiscsi's own key: kept beside, not in the open-iscsi file
        List<NodeRecord> written = new ArrayList<>();
        try (FileNodeStore store = FileNodeStore.open(etc)) {
            store.putDiscovery(new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260"), RecordValues.empty()
                    .with("discovery.startup", "manual").with("discovery.sendtargets.auth.authmethod", "CHAP")
                    .with("discovery.sendtargets.auth.username", "st-user").with("discovery.sendtargets.auth.password", "st-secret")
                    .with("discovery.sendtargets.timeo.login_timeout", "12")));
            store.putDiscovery(new DiscoveryRecord(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3205"), RecordValues.empty()
                    .with("discovery.startup", "manual").with("discovery.isns.use_discoveryd", "No")));
            store.putIface(new IfaceRecord("iface0", RecordValues.empty().with(NodeKeys.IFACE_NAME, "iface0")
                    .with(NodeKeys.TRANSPORT_NAME, "tcp").with(NodeKeys.IFACE_IPADDRESS, "127.0.0.2")
                    .with(NodeKeys.IFACE_INITIATORNAME, "iqn.2026-11.org.kiscsi.oracle:kinit")));
            written.add(NodeRecord.create(new NodeKey(t, Portal.parse("127.0.0.1:3260,1"), "default"), common
                    .with(NodeKeys.DISCOVERY_TYPE, "send_targets").with(NodeKeys.DISCOVERY_ADDRESS, "127.0.0.1")
                    .with(NodeKeys.DISCOVERY_PORT, "3260")));
            written.add(NodeRecord.create(new NodeKey(t, Portal.parse("127.0.0.1:3261"), "default"), common));
            written.add(NodeRecord.create(new NodeKey(t, Portal.parse("[::1]:3260,2"), "default"), common
                    .with(NodeKeys.DISCOVERY_TYPE, "static")));
            written.add(NodeRecord.create(new NodeKey(t, Portal.parse("[fe80::1%lo]:3260,5"), "default"), common));
            written.add(NodeRecord.create(new NodeKey(t, Portal.parse("127.0.0.1:3263,4"), "iface0"), common
                    .with(NodeKeys.IFACE_IPADDRESS, "127.0.0.2")));
            for (NodeRecord r : written) {
                store.putNode(r);
            }
            assertEquals(kiscsiListing(written), listing(adm.ok("-m", "node")));
            for (NodeRecord r : written) {
                String portal = r.portal().hostPort() + (r.portal().hasTpgt() ? "," + r.portal().tpgt() : "");
                Map<String, String> show = OpenIscsiAdm.parseShow(adm.ok("-m", "node", "-T", T, "-p", portal, "-I", r.iface(), "-o", "show"));
                Map<String, String> mine = new LinkedHashMap<>(r.values().asMap());
                assertEquals("30", mine.remove(NodeKeys.SCSI_CMD_TIMEOUT));
                assertWrittenKeysShown(mine, show, r.key().toString());
                assertEquals(r, store.node(r.key()).orElseThrow(), "kiscsi reads back its own record, its own keys included");
            }
            Map<String, String> show = OpenIscsiAdm.parseShow(adm.ok("-m", "iface", "-I", "iface0"));
            assertWrittenKeysShown(store.iface("iface0").orElseThrow().values().asMap(), show, "iface0");
            String ifaces = adm.ok("-m", "iface");
            assertTrue(ifaces.contains("iface0 tcp,<empty>,127.0.0.2,<empty>,iqn.2026-11.org.kiscsi.oracle:kinit"), ifaces);
            show = OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "show"));
            assertWrittenKeysShown(withIdentity(store.discovery(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260")).orElseThrow()), show, "st");
            show = OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.1:3205", "-o", "show"));
            assertWrittenKeysShown(withIdentity(store.discovery(DiscoveryType.ISNS, Portal.parse("127.0.0.1:3205")).orElseThrow()), show, "isns");
            assertEquals(new TreeSet<>(List.of("127.0.0.1:3205 via isns", "127.0.0.1:3260 via sendtargets")),
                    listing(adm.ok("-m", "discoverydb")));

            // the SendTargets link is right: iscsiadm deleting the discovery record deletes the node it found
            adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "delete");
            assertTrue(store.node(written.get(0).key()).isEmpty(), "iscsiadm followed kiscsi's link to the node");
            assertEquals(written.size() - 1, store.nodes().size());
            assertEquals(List.of(), store.problems());
        }
    }

    @Test
    void kiscsiWritesRecordsByteForByteAsIscsiadm() throws Exception {
        // an iface with every key iscsiadm lets one set, then a node through it: most keys written
        Map<String, String> ifaceShow = OpenIscsiAdm.parseShow(adm.ok("-m", "iface", "-I", "default"));
        List<String> ifaceKeys = new ArrayList<>();
        ifaceShow.forEach((k, v) -> {
            if ("<empty>".equals(v) && !k.equals("iface.hwaddress") && !k.equals("iface.net_ifacename")) {
                ifaceKeys.add(k);
            }
        });
        setAll(List.of("-m", "iface", "-I", "full", "-o", "new"), ifaceKeys, k -> k.equals(NodeKeys.IFACE_IPADDRESS) ? "127.0.0.9" : "v-" + k);
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1", "-I", "full");
        Path nodeFile = etc.resolve("nodes").resolve(T).resolve("127.0.0.1,3260,1/full");
        byte[] created = Files.readAllBytes(nodeFile);
        Map<String, String> nodeShow = OpenIscsiAdm.parseShow(adm.ok("-m", "node", "-T", T, "-p", "127.0.0.1:3260,1", "-I", "full", "-o", "show"));
        List<String> nodeKeys = new ArrayList<>();
        nodeShow.forEach((k, v) -> {
            if ("<empty>".equals(v)) {
                nodeKeys.add(k);
            }
        });
        List<String> updated = setAll(List.of("-m", "node", "-T", T, "-p", "127.0.0.1:3260,1", "-I", "full", "-o", "update"),
                nodeKeys, k -> "v-" + k);
        assertFalse(updated.isEmpty());
        byte[] byIscsiadm = Files.readAllBytes(nodeFile);
        Path iscsiadmIface = etc.resolve("ifaces/full");

        // the same record, its keys given in reverse order, written by kiscsi into another root
        Map<String, String> values = RecordText.parse("x", byIscsiadm).values;
        List<String> keys = new ArrayList<>(values.keySet());
        Collections.reverse(keys);
        Map<String, String> reversed = new LinkedHashMap<>();
        keys.forEach(k -> reversed.put(k, values.get(k)));
        Path other = tmp.resolve("kiscsi-root");
        try (FileNodeStore store = FileNodeStore.open(other)) {
            store.putNode(NodeRecord.of(RecordValues.of(reversed)));
            Map<String, String> ifaceValues = RecordText.parse("x", Files.readAllBytes(iscsiadmIface)).values;
            List<String> ik = new ArrayList<>(ifaceValues.keySet());
            Collections.reverse(ik);
            Map<String, String> ifaceReversed = new LinkedHashMap<>();
            ik.forEach(k -> ifaceReversed.put(k, ifaceValues.get(k)));
            store.putIface(new IfaceRecord("full", RecordValues.of(ifaceReversed)));
        }
        assertEquals(new String(byIscsiadm, StandardCharsets.UTF_8),
                Files.readString(other.resolve("nodes").resolve(T).resolve("127.0.0.1,3260,1/full")));
        assertArrayEquals(Files.readAllBytes(iscsiadmIface), Files.readAllBytes(other.resolve("ifaces/full")));

        // kiscsi applying the same updates to the record as iscsiadm created it
        Files.write(nodeFile, created);
        try (FileNodeStore store = FileNodeStore.open(etc)) {
            NodeKey key = new NodeKey(IscsiName.of(T), Portal.parse("127.0.0.1:3260,1"), "full");
            NodeRecord r = store.node(key).orElseThrow();
            for (String k : updated) {
                r = r.with(k, "v-" + k);
            }
            store.putNode(r);
        }
        assertEquals(new String(byIscsiadm, StandardCharsets.UTF_8), Files.readString(nodeFile));

        // and a discovery record with every key set
        adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "new");
        Path st = etc.resolve("send_targets/127.0.0.1,3260/st_config");
        byte[] stCreated = Files.readAllBytes(st);
        Map<String, String> stShow = OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "show"));
        List<String> stKeys = new ArrayList<>();
        stShow.forEach((k, v) -> {
            if ("<empty>".equals(v)) {
                stKeys.add(k);
            }
        });
        List<String> stUpdated = setAll(List.of("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "update"), stKeys, k -> "v-" + k);
        byte[] stByIscsiadm = Files.readAllBytes(st);
        Files.write(st, stCreated);
        try (FileNodeStore store = FileNodeStore.open(etc)) {
            DiscoveryRecord d = store.discovery(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260")).orElseThrow();
            for (String k : stUpdated) {
                d = d.with(k, "v-" + k);
            }
            store.putDiscovery(d);
        }
        assertEquals(new String(stByIscsiadm, StandardCharsets.UTF_8), Files.readString(st));
    }

    @Test
    void kiscsiKnowsEveryKeyIscsiadmWritesInItsOrder() throws Exception {
        adm.ok("-m", "iface", "-I", "if4", "-o", "new", "-n", "iface.ipaddress", "-v", "127.0.0.2");
        adm.ok("-m", "iface", "-I", "if6", "-o", "new", "-n", "iface.ipaddress", "-v", "::1");
        adm.ok("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1");
        adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "new");
        adm.ok("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.1:3205", "-o", "new");
        assertInOrder(RecordKind.IFACE, etc.resolve("ifaces/if4"));
        assertInOrder(RecordKind.IFACE, etc.resolve("ifaces/if6"));
        assertInOrder(RecordKind.NODE, etc.resolve("nodes").resolve(T).resolve("127.0.0.1,3260,1/default"));
        assertInOrder(RecordKind.SENDTARGETS, etc.resolve("send_targets/127.0.0.1,3260/st_config"));
        assertInOrder(RecordKind.ISNS, etc.resolve("isns/127.0.0.1,3205/isns_config"));
        // show lists every key, set or not
        for (String k : OpenIscsiAdm.parseShow(adm.ok("-m", "node", "-T", T, "-p", "127.0.0.1:3260,1", "-o", "show")).keySet()) {
            assertTrue(RecordKind.NODE.knows(k), k);
        }
        for (String k : OpenIscsiAdm.parseShow(adm.ok("-m", "iface", "-I", "if4")).keySet()) {
            assertTrue(RecordKind.IFACE.knows(k), k);
        }
        for (String k : OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1:3260", "-o", "show")).keySet()) {
            assertTrue(RecordKind.SENDTARGETS.knows(k), k);
        }
        for (String k : OpenIscsiAdm.parseShow(adm.ok("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.1:3205", "-o", "show")).keySet()) {
            assertTrue(RecordKind.ISNS.knows(k), k);
        }
    }

    private static void assertInOrder(RecordKind kind, Path file) throws Exception {
        int last = -1;
        for (String k : RecordText.parse(file.toString(), Files.readAllBytes(file)).values.keySet()) {
            int rank = kind.rank(k);
            assertTrue(rank > last, file + ": " + k + " is unknown to kiscsi or out of open-iscsi's order");
            last = rank;
        }
    }

    /** Sets each key with one update call, leaving out the keys iscsiadm refuses to modify; the keys it set. */
    private List<String> setAll(List<String> base, List<String> keys, java.util.function.Function<String, String> value)
            throws Exception {
        List<String> left = new ArrayList<>(keys);
        for (int attempt = 0; attempt <= keys.size(); attempt++) {
            List<String> args = new ArrayList<>(base);
            for (String k : left) {
                args.addAll(List.of("-n", k, "-v", value.apply(k)));
            }
            OpenIscsiAdm.Run r = adm.run(args.toArray(String[]::new));
            if (r.exit() == 0) {
                return left;
            }
            Matcher m = CANNOT_MODIFY.matcher(r.stderr());
            assertTrue(m.find(), () -> "iscsiadm " + args + " failed: " + r.stderr());
            assertTrue(left.remove(m.group(1)), m.group(1));
        }
        throw new AssertionError("iscsiadm kept refusing " + base);
    }

    /** Every key iscsiadm shows is kiscsi's too, with the same value (secrets compared with the file). */
    private static void assertKeyForKey(Map<String, String> show, Map<String, String> kiscsi, Map<String, String> file, String what) {
        assertFalse(show.isEmpty(), what + ": iscsiadm showed nothing");
        for (Map.Entry<String, String> e : show.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if ("<empty>".equals(v)) {
                assertFalse(kiscsi.containsKey(k), what + ": " + k + " is unset for iscsiadm but kiscsi has it");
            } else if (RecordValues.MASK.equals(v)) {
                assertNotNull(file.get(k), what + ": " + k);
                assertEquals(file.get(k), kiscsi.get(k), what + ": secret " + k + " differs from the file");
            } else {
                assertEquals(v, kiscsi.get(k), what + ": " + k);
            }
        }
        for (String k : kiscsi.keySet()) {
            assertTrue(show.containsKey(k), what + ": kiscsi has " + k + " which iscsiadm does not show");
        }
    }

    /** Every key kiscsi wrote is shown by iscsiadm with the same value (secrets masked). */
    private static void assertWrittenKeysShown(Map<String, String> written, Map<String, String> show, String what) {
        assertFalse(show.isEmpty(), what + ": iscsiadm showed nothing");
        for (Map.Entry<String, String> e : written.entrySet()) {
            String expected = RecordValues.isSecret(e.getKey()) ? RecordValues.MASK : e.getValue();
            assertEquals(expected, show.get(e.getKey()), what + ": " + e.getKey());
        }
    }

    private static Map<String, String> withIdentity(DiscoveryRecord d) {
        Map<String, String> m = new LinkedHashMap<>(d.values().asMap());
        m.put("discovery.type", d.type().recordName());
        m.put("discovery.sendtargets.address", d.address().address());
        m.put("discovery.sendtargets.port", Integer.toString(d.address().port()));
        return m;
    }

    private Path fileOf(NodeRecord r) {
        Path dir = etc.resolve("nodes").resolve(r.target().value());
        return r.portal().hasTpgt() ? dir.resolve(StoreLayout.portalTpgtName(r.portal())).resolve(r.iface())
                : dir.resolve(StoreLayout.portalName(r.portal()));
    }

    private static Map<String, String> fileValues(Path file) throws Exception {
        return RecordText.parse(file.toString(), Files.readAllBytes(file)).values;
    }

    private static Set<String> listing(String out) {
        Set<String> lines = new TreeSet<>();
        Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
        return lines;
    }

    /** What iscsiadm -m node prints for these records: {@code host:port,tpgt target}, an unknown TPGT as 4294967295. */
    private static Set<String> kiscsiListing(List<NodeRecord> records) {
        Set<String> lines = new TreeSet<>();
        for (NodeRecord r : records) {
            long tpgt = r.portal().hasTpgt() ? r.portal().tpgt() : 4294967295L;
            lines.add(r.portal().hostPort() + "," + tpgt + " " + r.target().value());
        }
        return lines;
    }
}

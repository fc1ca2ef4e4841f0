package org.kiscsi.discovery.sendtargets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.discovery.AppliedDiscovery;
import org.kiscsi.api.discovery.DiscoveryApplier;
import org.kiscsi.api.discovery.DiscoveryOp;
import org.kiscsi.api.discovery.NodeChange;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.store.file.FileNodeStore;

/** The discovery operations on open-iscsi's file layout: records, the discovery record, the links. */
class DiscoveryApplierTest {
    private static final IscsiName A = IscsiName.of("iqn.2026-11.com.example:a");
    private static final IscsiName B = IscsiName.of("iqn.2026-11.com.example:b");
    private static final Portal P1 = Portal.parse("127.0.0.1:3260,1");
    private static final Portal P2 = Portal.parse("[::1]:3260,1");
    private static final DiscoveryRecord SOURCE = new DiscoveryRecord(DiscoveryType.SENDTARGETS, Portal.parse("127.0.0.1:3260"),
            RecordValues.empty().with("discovery.sendtargets.auth.authmethod", "None"));
    private static final RecordValues DEFAULTS = RecordValues.empty().with(NodeKeys.STARTUP, "manual").with(NodeKeys.CMDS_MAX, "128");

    @TempDir
    Path root;
    private FileNodeStore store;
    private Set<NodeKey> inUse = Set.of();

    @BeforeEach
    void open() {
        store = FileNodeStore.open(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private AppliedDiscovery apply(Set<DiscoveryOp> ops, DiscoveredTarget... found) {
        return new DiscoveryApplier(store, DEFAULTS, k -> inUse.contains(k)).apply(SOURCE, List.of(found), ops, List.of());
    }

    private static DiscoveredTarget target(IscsiName n, Portal... p) {
        return new DiscoveredTarget(n, List.of(p));
    }

    private static NodeKey key(IscsiName n, Portal p) {
        return new NodeKey(n, p, null);
    }

    private List<String> links() throws IOException {
        Path dir = root.resolve("send_targets/127.0.0.1,3260");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isSymbolicLink).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theDefaultAddsRecordsWithTheDiscoveryRecordAndLinksThem() throws IOException {
        AppliedDiscovery a = apply(Set.of(), target(A, P1, P2), target(B, P1));
        assertTrue(a.discoveryRecordWritten());
        assertEquals(3, a.changes(NodeChange.Kind.ADDED).size());
        assertEquals(List.of(key(A, P1), key(A, P2), key(B, P1)), a.found());
        NodeRecord r = store.node(key(A, P2)).orElseThrow();
        assertEquals(Optional.of("send_targets"), r.values().get(NodeKeys.DISCOVERY_TYPE));
        assertEquals(Optional.of("127.0.0.1"), r.values().get(NodeKeys.DISCOVERY_ADDRESS));
        assertEquals(Optional.of("3260"), r.values().get(NodeKeys.DISCOVERY_PORT));
        assertEquals(Optional.of("128"), r.values().get(NodeKeys.CMDS_MAX));
        assertTrue(Files.isRegularFile(root.resolve("send_targets/127.0.0.1,3260/st_config")));
        assertEquals(3, links().size(), links().toString());
        assertTrue(links().contains(A.value() + ",::1,3260,1,default"), links().toString());
    }

    @Test
    void theDefaultKeepsAUserChangedSettingAndRemovesAVanishedPortal() throws IOException {
        apply(Set.of(), target(A, P1, P2));
        store.putNode(store.node(key(A, P1)).orElseThrow().with(NodeKeys.CMDS_MAX, "16").with(NodeKeys.DISCOVERY_PORT, "3999"));
        AppliedDiscovery a = apply(Set.of(), target(A, P1));
        assertEquals(List.of(key(A, P2)), a.changes(NodeChange.Kind.DELETED).stream().map(NodeChange::key).toList());
        assertEquals(List.of(key(A, P1)), a.changes(NodeChange.Kind.UPDATED).stream().map(NodeChange::key).toList());
        NodeRecord kept = store.node(key(A, P1)).orElseThrow();
        assertEquals(Optional.of("16"), kept.values().get(NodeKeys.CMDS_MAX), "the user's setting stays");
        assertEquals(Optional.of("3260"), kept.values().get(NodeKeys.DISCOVERY_PORT), "the discovery keys are rewritten");
        assertFalse(store.node(key(A, P2)).isPresent());
        assertEquals(List.of(A.value() + ",127.0.0.1,3260,1,default"), links());
    }

    @Test
    void newAddsOnlyAndNeverTouchesOrDeletes() {
        apply(Set.of(), target(A, P1, P2));
        store.putNode(store.node(key(A, P1)).orElseThrow().with(NodeKeys.DISCOVERY_PORT, "3999"));
        AppliedDiscovery a = apply(EnumSet.of(DiscoveryOp.NEW), target(A, P1), target(B, P1));
        assertEquals(List.of(key(B, P1)), a.changes(NodeChange.Kind.ADDED).stream().map(NodeChange::key).toList());
        assertEquals(Optional.of("3999"), store.node(key(A, P1)).orElseThrow().values().get(NodeKeys.DISCOVERY_PORT));
        assertTrue(store.node(key(A, P2)).isPresent(), "new never deletes");
    }

    @Test
    void updateRewritesReturnedRecordsAndAddsUnknownOnesAsOpenIscsiDoesButDeletesNothing() {
        apply(Set.of(), target(A, P1, P2));
        store.putNode(store.node(key(A, P1)).orElseThrow().with(NodeKeys.DISCOVERY_PORT, "3999").with(NodeKeys.CMDS_MAX, "16"));
        AppliedDiscovery a = apply(EnumSet.of(DiscoveryOp.UPDATE), target(A, P1), target(B, P1));
        assertEquals(List.of(key(A, P1)), a.changes(NodeChange.Kind.UPDATED).stream().map(NodeChange::key).toList());
        assertEquals(List.of(key(B, P1)), a.changes(NodeChange.Kind.ADDED).stream().map(NodeChange::key).toList());
        assertEquals(Optional.of("16"), store.node(key(A, P1)).orElseThrow().values().get(NodeKeys.CMDS_MAX));
        assertTrue(store.node(key(A, P2)).isPresent());
    }

    @Test
    void deleteRemovesOnlyThisSourcesVanishedRecordsAndKeepsOneInUseAsSessExists() {
        apply(Set.of(), target(A, P1, P2), target(B, P1));
        NodeKey other = key(B, Portal.parse("10.0.0.1:3260,1"));
        store.putNode(NodeRecord.create(other, DEFAULTS.with(NodeKeys.DISCOVERY_TYPE, "send_targets")
                .with(NodeKeys.DISCOVERY_ADDRESS, "10.0.0.9").with(NodeKeys.DISCOVERY_PORT, "3260")));
        inUse = Set.of(key(B, P1));
        AppliedDiscovery a = apply(EnumSet.of(DiscoveryOp.DELETE), target(A, P1));
        assertEquals(List.of(key(A, P2)), a.changes(NodeChange.Kind.DELETED).stream().map(NodeChange::key).toList());
        assertEquals(IscsiError.SESS_EXISTS, a.firstError());
        NodeChange refused = a.changes(NodeChange.Kind.FAILED).get(0);
        assertEquals(key(B, P1), refused.key());
        assertTrue(refused.message().contains("a session is using it"), refused.message());
        assertTrue(store.node(key(B, P1)).isPresent());
        assertTrue(store.node(other).isPresent(), "another source's record stays");
        assertTrue(a.changes(NodeChange.Kind.ADDED).isEmpty(), "delete alone adds nothing");
    }

    @Test
    void aNewTpgtIsANewRecordAndTheOldOneStaysStale() {
        apply(Set.of(), target(A, P1));
        Portal moved = P1.withTpgt(2);
        AppliedDiscovery a = apply(Set.of(), target(A, moved));
        assertEquals(List.of(key(A, moved)), a.changes(NodeChange.Kind.ADDED).stream().map(NodeChange::key).toList());
        assertTrue(a.changes(NodeChange.Kind.DELETED).isEmpty());
        assertTrue(store.node(key(A, P1)).isPresent());
    }

    @Test
    void nonpersistentWritesNothingNotEvenTheDiscoveryRecord() {
        AppliedDiscovery a = apply(EnumSet.of(DiscoveryOp.NONPERSISTENT), target(A, P1));
        assertEquals(List.of(key(A, P1)), a.found());
        assertFalse(a.discoveryRecordWritten());
        assertTrue(store.nodes().isEmpty());
        assertTrue(store.discoveries().isEmpty());
    }

    @Test
    void oneSetOfRecordsPerIfaceCarryingItsValuesAndAMissingIfaceWritesNothing() {
        store.putIface(new IfaceRecord("eth-x", RecordValues.empty().with("iface.iscsi_ifacename", "eth-x")
                .with("iface.transport_name", "tcp").with("iface.ipaddress", "127.0.0.1")));
        AppliedDiscovery a = new DiscoveryApplier(store, DEFAULTS, k -> false).apply(SOURCE, List.of(target(A, P1)), Set.of(),
                List.of("default", "eth-x"));
        assertEquals(2, a.changes(NodeChange.Kind.ADDED).size());
        assertEquals(Optional.of("127.0.0.1"), store.node(new NodeKey(A, P1, "eth-x")).orElseThrow().values()
                .get("iface.ipaddress"));
        IscsiException e = assertThrows(IscsiException.class, () -> new DiscoveryApplier(store, DEFAULTS, k -> false)
                .apply(SOURCE, List.of(target(B, P1)), Set.of(), List.of("nope")));
        assertEquals(IscsiError.INVAL, e.error());
        assertTrue(store.nodes(B).isEmpty());
    }
}

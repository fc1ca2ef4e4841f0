package org.kiscsi.api.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.node.KeyEffect.Kind;

class RecordEffectsTest {
    /**
     * For each key kiscsi acts on, a test that shows the effect (a test class of the project, from
     * the repository's root). A key classified ACTED_ON without an entry here fails.
     */
    private static final Map<String, String> EFFECT_TESTS = Map.ofEntries(
            Map.entry("iface.ipaddress", "bundles/transport-tcp/src/test/java/org/kiscsi/transport/tcp/AddressingTest.java"),
            Map.entry("iface.transport_name", "itests/src/test/java/org/kiscsi/itests/IscsiadmExitCodesIT.java"),
            Map.entry("iface.initiatorname", "itests/src/test/java/org/kiscsi/itests/TransportRecoveryIT.java"),
            Map.entry("node.startup", "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/manage/ManagementServiceCases.java"),
            Map.entry("node.leading_login", "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/manage/LeadingLoginCases.java"),
            Map.entry("node.conn[0].startup", "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/manage/ManagementServiceCases.java"),
            Map.entry("node.session.scan", "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/manage/ManagementServiceCases.java"),
            Map.entry("node.session.initial_login_retry_max", "bundles/engine/src/test/java/org/kiscsi/engine/LoginTest.java"),
            Map.entry("node.session.cmds_max", "bundles/engine/src/test/java/org/kiscsi/engine/RecoveryTgtdIT.java"),
            Map.entry("node.session.nr_sessions", "bundles/engine/src/test/java/org/kiscsi/engine/LoginTest.java"),
            Map.entry("node.session.auth", "bundles/auth-chap/src/test/java/org/kiscsi/auth/chap/ChapAgainstTestTargetTest.java"),
            Map.entry("node.session.timeo", "bundles/engine/src/test/java/org/kiscsi/engine/internal/EscalationTest.java"),
            Map.entry("node.session.err_timeo", "bundles/engine/src/test/java/org/kiscsi/engine/TargetEventsTest.java"),
            Map.entry("node.session.iscsi", "bundles/protocol/src/test/java/org/kiscsi/protocol/text/NegotiationTest.java"),
            Map.entry("node.session.reopen_max", "bundles/engine/src/test/java/org/kiscsi/engine/internal/EscalationTest.java"),
            Map.entry("node.session.scsi.cmd_timeout", "bundles/engine/src/test/java/org/kiscsi/engine/DataPathTest.java"),
            Map.entry("node.conn[0].timeo", "bundles/engine/src/test/java/org/kiscsi/engine/internal/EscalationTest.java"),
            Map.entry("node.conn[0].iscsi", "bundles/testkit/src/test/java/org/kiscsi/testkit/peers/NegotiatedParametersTest.java"),
            Map.entry("discovery.sendtargets.auth", "bundles/auth-chap/src/test/java/org/kiscsi/auth/chap/DiscoveryChapTgtdIT.java"),
            Map.entry("discovery.sendtargets.timeo", "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/manage/DiscoveryServiceTest.java"),
            Map.entry("discovery.sendtargets.reopen_max",
                    "bundles/discovery-sendtargets/src/test/java/org/kiscsi/discovery/sendtargets/SendTargetsAgainstTestTargetTest.java"),
            Map.entry("discovery.sendtargets.iscsi", "bundles/engine/src/test/java/org/kiscsi/engine/LoginTest.java"),
            Map.entry("discovery.sendtargets.use_discoveryd",
                    "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/discovery/DiscoveryDaemonTest.java"),
            Map.entry("discovery.sendtargets.discoveryd_poll_inval",
                    "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/discovery/DiscoveryDaemonTest.java"),
            Map.entry("discovery.isns", "bundles/iscsid/src/test/java/org/kiscsi/iscsid/internal/discovery/DiscoveryDaemonTest.java"));

    @Test
    void everyKeyOfEveryKindIsClassified() {
        for (RecordSchema kind : RecordSchema.values()) {
            List<String> missing = new ArrayList<>();
            for (RecordSchema.Field f : kind.fields()) {
                if (RecordEffects.find(kind, f.key()).isEmpty()) {
                    missing.add(f.key());
                }
            }
            assertEquals(List.of(), missing, kind + " keys without a KeyEffect");
            for (KeyEffect e : RecordEffects.of(kind).values()) {
                assertFalse(e.note().isBlank(), e.key());
            }
        }
        assertEquals(Kind.ACTED_ON, RecordEffects.find(RecordSchema.NODE, NodeKeys.AUTH_STRICT).orElseThrow().kind());
        assertEquals(Kind.ACTED_ON, RecordEffects.find(RecordSchema.NODE, NodeKeys.SCSI_CMD_TIMEOUT).orElseThrow().kind());
        assertEquals(Kind.ACTED_ON, RecordEffects.find(RecordSchema.SENDTARGETS, "discovery.sendtargets.auth.strict")
                .orElseThrow().kind());
    }

    @Test
    void everyKeyOfNodeKeysIsClassified() throws Exception {
        for (var f : NodeKeys.class.getFields()) {
            String key = (String) f.get(null);
            assertTrue(RecordEffects.find(RecordSchema.NODE, key).isPresent(), key);
        }
    }

    @Test
    void secretKeysAreActedOnNeverKeptOrRefused() {
        for (RecordSchema kind : RecordSchema.values()) {
            RecordEffects.of(kind).values().stream().filter(e -> Secrets.isSecret(e.key()))
                    .forEach(e -> assertEquals(Kind.ACTED_ON, e.kind(), e.key()));
        }
    }

    @Test
    void everyActedOnKeyNamesATestShowingItsEffect() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("bundles"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "the repository root");
        for (RecordSchema kind : RecordSchema.values()) {
            for (KeyEffect e : RecordEffects.of(kind).values()) {
                if (e.kind() != Kind.ACTED_ON) {
                    continue;
                }
                String test = testOf(e.key());
                assertTrue(test != null, "no test named for ACTED_ON key " + e.key());
                assertTrue(Files.isRegularFile(root.resolve(test)), e.key() + ": " + test + " is not there");
            }
        }
    }

    /** The entry for the key, or for the longest dotted prefix of it. */
    private static String testOf(String key) {
        if (key.equals(NodeKeys.CHAP_ALGS)) {
            return EFFECT_TESTS.get("node.session.auth");
        }
        String k = key;
        while (true) {
            String t = EFFECT_TESTS.get(k);
            if (t != null) {
                return t;
            }
            int dot = k.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            k = k.substring(0, dot);
        }
    }

    @Test
    void defaultsAskForNothing() {
        assertTrue(RecordEffects.isDefault(RecordSchema.NODE, "iface.vlan_id", "0"));
        assertTrue(RecordEffects.isDefault(RecordSchema.NODE, "iface.vlan_id", ""));
        assertTrue(RecordEffects.isDefault(RecordSchema.NODE, "iface.vlan_state", "<empty>"));
        assertTrue(RecordEffects.isDefault(RecordSchema.NODE, "node.session.xmit_thread_priority", " -20 "));
        assertFalse(RecordEffects.isDefault(RecordSchema.NODE, "iface.vlan_id", "12"));
        assertFalse(RecordEffects.isDefault(RecordSchema.NODE, "node.session.iscsi.FastAbort", "No"));
    }

    @Test
    void aNewRecordFromDefaultsHoldsNothingKeptOrRefused() {
        for (RecordSchema kind : RecordSchema.values()) {
            assertEquals(List.of(), RecordEffects.keptWithValue(kind, kind.defaults()), kind.name());
            assertEquals(List.of(), RecordEffects.refusedWithValue(kind, kind.defaults()), kind.name());
        }
    }

    @Test
    void keptAndRefusedValuesAreFound() {
        RecordValues v = RecordSchema.NODE.defaults().with("iface.vlan_id", "12").with("iface.net_ifacename", "eth1")
                .with("node.session.xmit_thread_priority", "-20").with(NodeKeys.QUEUE_DEPTH, "64");
        assertEquals(List.of("iface.vlan_id", NodeKeys.QUEUE_DEPTH),
                RecordEffects.keptWithValue(RecordSchema.NODE, v).stream().map(KeyEffect::key).toList());
        assertEquals(List.of("iface.net_ifacename"),
                RecordEffects.refusedWithValue(RecordSchema.NODE, v).stream().map(KeyEffect::key).toList());
        assertTrue(RecordEffects.find(RecordSchema.NODE, "iface.vlan_id").orElseThrow().explain()
                .startsWith("iface.vlan_id is kept for open-iscsi and has no effect in kiscsi: offload iface setting"));
    }

    @Test
    void kindsAreListedInShowOrder() {
        assertEquals(RecordSchema.IFACE.fields().stream().map(RecordSchema.Field::key).toList(),
                List.copyOf(RecordEffects.of(RecordSchema.IFACE).keySet()));
        assertEquals(Stream.concat(RecordSchema.NODE.fields().stream().map(RecordSchema.Field::key),
                Stream.of(NodeKeys.AUTH_STRICT, NodeKeys.SCSI_CMD_TIMEOUT)).toList(),
                List.copyOf(RecordEffects.of(RecordSchema.NODE).keySet()));
    }

    @Test
    void theReadmeListsExactlyTheKeptAndRefusedKeys() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("README.md"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "README.md");
        String readme = Files.readString(root.resolve("README.md"));
        int from = readme.indexOf("### Record keys kiscsi acts on");
        assertTrue(from >= 0, "the README's section");
        int to = readme.indexOf("\n#", from + 5);
        String section = readme.substring(from, to < 0 ? readme.length() : to);
        java.util.Set<String> listed = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`((?:node|iface|discovery)\\.[^`]+)`").matcher(section);
        while (m.find()) {
            listed.add(m.group(1));
        }
        java.util.Set<String> table = new java.util.TreeSet<>();
        for (RecordSchema kind : RecordSchema.values()) {
            RecordEffects.of(kind).values().stream()
                    .filter(e -> e.kind() == Kind.KEPT_FOR_OPEN_ISCSI || e.kind() == Kind.REFUSED_UNLESS_DEFAULT)
                    .forEach(e -> table.add(e.key()));
        }
        // keys the section names only to point at what kiscsi does act on
        listed.removeAll(List.of(NodeKeys.CMDS_MAX, "iface.ipaddress"));
        assertEquals(table, listed);
    }
}

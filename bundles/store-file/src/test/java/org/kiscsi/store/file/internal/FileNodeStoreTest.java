package org.kiscsi.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.spi.store.NodeStoreException;
import org.kiscsi.store.file.FileNodeStore;

/** The file store's own behaviour: layout, broken files, crash leftovers, modes, kiscsi's extra keys. */
class FileNodeStoreTest {
    private static final String T = "iqn.2026-11.org.kiscsi:disk";

    @TempDir
    Path root;

    private static NodeRecord record(String portal, String iface) {
        return NodeRecord.create(new NodeKey(IscsiName.of(T), Portal.parse(portal), iface),
                RecordValues.empty().with(NodeKeys.STARTUP, "manual"));
    }

    private Path target() {
        return root.resolve("nodes").resolve(T);
    }

    @Test
    void layoutIsOpenIscsis() throws Exception {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(record("127.0.0.1:3260,1", "default"));
            s.putNode(record("127.0.0.1:3261", "default"));
            s.putNode(record("[::1]:3260,2", "iface0"));
            s.putNode(record("[fe80::1%lo]:3260,3", "default"));
        }
        assertTrue(Files.isRegularFile(target().resolve("127.0.0.1,3260,1/default")));
        assertTrue(Files.isRegularFile(target().resolve("127.0.0.1,3261")));
        assertTrue(Files.isRegularFile(target().resolve("::1,3260,2/iface0")));
        assertTrue(Files.isRegularFile(target().resolve("fe80::1%lo,3260,3/default")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target().resolve("127.0.0.1,3261"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target().resolve("::1,3260,2"))));
        List<String> lines = Files.readAllLines(target().resolve("127.0.0.1,3260,1/default"));
        assertEquals("# BEGIN RECORD " + FileNodeStore.RECORD_VERSION, lines.get(0));
        assertEquals("node.name = " + T, lines.get(1));
        assertEquals("# END RECORD", lines.get(lines.size() - 1));
    }

    @Test
    void deletingTheLastRecordRemovesItsDirectories() {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            NodeRecord r = record("127.0.0.1:3260,1", "default");
            s.putNode(r);
            assertTrue(s.deleteNode(r.key()));
            assertFalse(Files.exists(target()));
        }
    }

    @Test
    void aPortalWithUnknownTpgtHoldsOneRecord() {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(record("127.0.0.1:3261", "default"));
            NodeStoreException e = assertThrows(NodeStoreException.class, () -> s.putNode(record("127.0.0.1:3261", "iface0")));
            assertTrue(e.getMessage().contains("127.0.0.1,3261"), e.getMessage());
            assertTrue(s.node(record("127.0.0.1:3261", "iface0").key()).isEmpty());
        }
    }

    @Test
    void brokenRecordsAreNamedWithFileAndLineAndTheOthersLoad() throws Exception {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(record("127.0.0.1:3260,1", "default"));
            s.putNode(record("127.0.0.1:3261,1", "default"));
            s.putNode(record("127.0.0.1:3262,1", "default"));
            s.putNode(record("127.0.0.1:3263,1", "default"));
            s.putNode(record("127.0.0.1:3264,1", "default"));
        }
        Path truncated = target().resolve("127.0.0.1,3261,1/default");
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path corrupt = target().resolve("127.0.0.1,3262,1/default");
        List<String> lines = Files.readAllLines(corrupt);
        lines.set(3, "this line has no equals sign");
        Files.write(corrupt, lines);
        Path badValue = target().resolve("127.0.0.1,3263,1/default");
        Files.writeString(badValue, Files.readString(badValue).replace("node.conn[0].port = 3263", "node.conn[0].port = lots"));
        Path binary = target().resolve("127.0.0.1,3264,1/default");
        Files.write(binary, new byte[] {'#', ' ', 0, (byte) 0xff, 1, 2});

        try (FileNodeStore s = FileNodeStore.open(root)) {
            List<NodeRecord> all = s.nodes();
            assertEquals(1, all.size(), all::toString);
            assertEquals(3260, all.get(0).portal().port());
            List<String> problems = s.problems();
            assertEquals(4, problems.size(), problems::toString);
            assertTrue(problems.contains(truncated + ":" + lastLine(truncated) + ": truncated: no '# END RECORD' line"), problems::toString);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(corrupt + ":4: expected 'key = value'")), problems::toString);
            String badLine = badValue + ":" + lineOf(badValue, "node.conn[0].port = lots") + ": ";
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(badLine) && p.contains("lots")), problems::toString);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(binary + ":1: ")), problems::toString);

            // rewriting a broken record repairs it
            s.putNode(record("127.0.0.1:3261,1", "default"));
            assertEquals(2, s.nodes().size());
            assertEquals(3, s.problems().size());
        }
    }

    private static int lineOf(Path file, String line) throws Exception {
        return Files.readAllLines(file).indexOf(line) + 1;
    }

    private static int lastLine(Path file) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.split("\n", -1).length - (text.endsWith("\n") ? 1 : 0);
    }

    @Test
    void aRecordWhosePathSaysOtherwiseIsAProblem() throws Exception {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(record("127.0.0.1:3260,1", "default"));
        }
        Files.move(target().resolve("127.0.0.1,3260,1"), target().resolve("127.0.0.1,3299,1"));
        try (FileNodeStore s = FileNodeStore.open(root)) {
            assertEquals(List.of(), s.nodes());
            assertEquals(1, s.problems().size());
            assertTrue(s.problems().get(0).contains("127.0.0.1,3299,1"), s.problems()::toString);
        }
    }

    @Test
    void aCrashBetweenWriteAndRenameLeavesTheOldRecord() throws Exception {
        NodeRecord r = record("127.0.0.1:3260,1", "default");
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(r);
        }
        // what a writer killed before its rename leaves: a half-written temporary file
        Path tmp = root.resolve(".kiscsi/tmp/default.0e3c1f4a.tmp");
        Files.writeString(tmp, "# BEGIN RECORD 2.1.8\nnode.name = " + T + "\nnode.startup = autom");
        try (FileNodeStore s = FileNodeStore.open(root)) {
            assertEquals(List.of(r), s.nodes());
            assertEquals(List.of(), s.problems());
            assertFalse(Files.exists(tmp), "the leftover is removed under the lock when the store opens");
        }
    }

    @Test
    void keysOpenIscsiDoesNotKnowAreKeptBesideItsFile() throws Exception {
        NodeRecord r = record("127.0.0.1:3260,1", "default").with(NodeKeys.SCSI_CMD_TIMEOUT, "45").with("vendor.x.y", "1");
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(r);
            assertEquals(r, s.node(r.key()).orElseThrow());
        }
        String main = Files.readString(target().resolve("127.0.0.1,3260,1/default"));
        assertFalse(main.contains("cmd_timeout") || main.contains("vendor"), main);
        Path extra = root.resolve(".kiscsi/extra/nodes").resolve(T).resolve("127.0.0.1,3260,1/default");
        assertEquals("# BEGIN RECORD 2.1.8\nnode.session.scsi.cmd_timeout = 45\nvendor.x.y = 1\n# END RECORD\n", Files.readString(extra));
        try (FileNodeStore s = FileNodeStore.open(root)) {
            assertTrue(s.deleteNode(r.key()));
        }
        assertFalse(Files.exists(extra));
    }

    @Test
    void unknownKeysAnOpenIscsiFileHoldsStayInIt() throws Exception {
        NodeRecord r = record("127.0.0.1:3260,1", "default");
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(r);
        }
        Path file = target().resolve("127.0.0.1,3260,1/default");
        // as a newer open-iscsi would write it: a key 2.1.8 does not know, in the middle
        Files.writeString(file, Files.readString(file).replace("node.startup = manual\n", "node.startup = manual\nnode.newer_key = 7\n"));
        try (FileNodeStore s = FileNodeStore.open(root)) {
            NodeRecord read = s.node(r.key()).orElseThrow();
            assertEquals("7", read.values().get("node.newer_key").orElseThrow());
            String before = Files.readString(file);
            s.putNode(read);
            assertEquals(before, Files.readString(file));
        }
    }

    @Test
    void valuesARecordFileCannotHoldAreRefusedWithoutShowingThem() {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            NodeRecord r = record("127.0.0.1:3260,1", "default").with(NodeKeys.PASSWORD, "two\nlines-secret");
            NodeStoreException e = assertThrows(NodeStoreException.class, () -> s.putNode(r));
            assertTrue(e.getMessage().contains(NodeKeys.PASSWORD), e.getMessage());
            assertFalse(e.getMessage().contains("lines-secret"), e.getMessage());
        }
    }

    @Test
    void staticAndFirmwareDiscoveryRecordsAreRefused() {
        try (FileNodeStore s = FileNodeStore.open(root)) {
            assertThrows(NodeStoreException.class, () -> s.putDiscovery(
                    new DiscoveryRecord(DiscoveryType.STATIC, Portal.parse("127.0.0.1:3260"), RecordValues.empty())));
        }
    }

    @Test
    void staticRecordsGetOpenIscsisLink() throws Exception {
        NodeRecord r = record("127.0.0.1:3260,1", "default").with(NodeKeys.DISCOVERY_TYPE, "static");
        Path link = root.resolve("static").resolve(T + ",127.0.0.1,3260,1,default");
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(r);
            assertTrue(Files.isSymbolicLink(link));
            assertEquals(target().resolve("127.0.0.1,3260,1"), Files.readSymbolicLink(link));
            assertTrue(s.deleteNode(r.key()));
            assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** As 2.1.8: in the server's directory when its record exists, else the old style beside the servers' directories. */
    @Test
    void isnsRecordsGetOpenIscsisLinkOfEitherStyle() throws Exception {
        NodeRecord r = record("127.0.0.1:3260,1", "default").with(NodeKeys.DISCOVERY_TYPE, "isns")
                .with(NodeKeys.DISCOVERY_ADDRESS, "127.0.0.9").with(NodeKeys.DISCOVERY_PORT, "3205");
        Path old = root.resolve("isns").resolve(T + ",127.0.0.1,3260,1,default");
        Path inServer = root.resolve("isns/127.0.0.9,3205").resolve(T + ",127.0.0.1,3260,1,default");
        try (FileNodeStore s = FileNodeStore.open(root)) {
            s.putNode(r);
            assertEquals(target().resolve("127.0.0.1,3260,1"), Files.readSymbolicLink(old));
            assertEquals(List.of(), s.discoveries(), "an old-style link is no iSNS record");
            assertTrue(s.deleteNode(r.key()));
            assertFalse(Files.exists(old, java.nio.file.LinkOption.NOFOLLOW_LINKS));

            s.putDiscovery(new DiscoveryRecord(DiscoveryType.ISNS, Portal.parse("127.0.0.9:3205"), RecordValues.empty()));
            s.putNode(r);
            assertEquals(target().resolve("127.0.0.1,3260,1"), Files.readSymbolicLink(inServer));
            assertFalse(Files.exists(old, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            assertTrue(s.deleteNode(r.key()));
            assertFalse(Files.exists(inServer, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }
}

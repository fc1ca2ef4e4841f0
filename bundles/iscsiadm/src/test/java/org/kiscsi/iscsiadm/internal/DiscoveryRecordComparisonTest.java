package org.kiscsi.iscsiadm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.manage.DaemonStatus;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.iscsid.internal.manage.ManageContext;
import org.kiscsi.iscsid.internal.manage.ManagementService;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.peers.OpenIscsiAdm;

/**
 * {@code -m discoverydb} record operations and the bare {@code -m discovery} listing, byte for byte
 * against open-iscsi 2.1.8's iscsiadm on twin record trees, kiscsi's side over the daemon's own
 * management service and the file store (open-iscsi's discovery itself needs a kernel: what it can
 * do here is its record operations). open-iscsi also reads the discovery records kiscsi wrote.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DiscoveryRecordComparisonTest {
    @TempDir
    Path tmp;
    Path oracleTree;
    Path kiscsiTree;
    OpenIscsiAdm onOracleTree;
    OpenIscsiAdm onKiscsiTree;
    final ExecutorService workers = Executors.newFixedThreadPool(2);

    @BeforeEach
    void oracle() throws Exception {
        oracleTree = tmp.resolve("oracle-etc");
        kiscsiTree = tmp.resolve("kiscsi-etc");
        onOracleTree = OpenIscsiAdm.on(oracleTree, tmp);
        onKiscsiTree = OpenIscsiAdm.on(kiscsiTree, tmp);
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private OpenIscsiAdm.Run kiscsi(Path tree, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (FileNodeStore store = FileNodeStore.open(tree)) {
            // the daemon's service with no engine and no discovery method: record operations only
            ManagementService service = new ManagementService(new ManageContext(() -> Optional.of(store), Optional::empty,
                    Optional::empty, type -> Optional.empty(), () -> Set.of("tcp"), RecordValues::empty,
                    type -> RecordValues.empty(), () -> "iqn.2026-11.org.kiscsi.cli:init",
                    () -> new DaemonStatus(Map.of()), Path.of("/etc/iscsi"), workers));
            int rc = new Iscsiadm(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), tree.resolve("no.sock"), s -> service).run(args);
            return new OpenIscsiAdm.Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static OpenIscsiAdm.Run clean(OpenIscsiAdm.Run r) {
        String err = r.stderr().replaceAll("(?m)^iscsiadm: read error \\(-?\\d+/\\d+\\), daemon died\\?\n", "");
        return new OpenIscsiAdm.Run(r.exit(), r.stdout(), err);
    }

    private static void assertSame(OpenIscsiAdm.Run expected, OpenIscsiAdm.Run actual, String what) {
        assertEquals(expected.stdout(), actual.stdout(), what + ": stdout");
        assertEquals(expected.stderr(), actual.stderr(), what + ": stderr");
        assertEquals(expected.exit(), actual.exit(), what + ": exit code");
    }

    private void both(String... args) throws Exception {
        assertSame(clean(onOracleTree.run(args)), kiscsi(kiscsiTree, args), String.join(" ", args));
    }

    private void read(String... args) throws Exception {
        OpenIscsiAdm.Run expected = clean(onOracleTree.run(args));
        assertSame(expected, kiscsi(oracleTree, args), String.join(" ", args) + " (kiscsi on open-iscsi's tree)");
        assertSame(expected, kiscsi(kiscsiTree, args), String.join(" ", args) + " (kiscsi on its own tree)");
    }

    /** Lists: open-iscsi prints records in directory order, kiscsi by type, address and port; the lines must be the same. */
    private static OpenIscsiAdm.Run sorted(OpenIscsiAdm.Run r) {
        String out = r.stdout().lines().sorted().map(l -> l + "\n").reduce("", String::concat);
        return new OpenIscsiAdm.Run(r.exit(), out, r.stderr());
    }

    private void readList(String... args) throws Exception {
        OpenIscsiAdm.Run expected = sorted(clean(onOracleTree.run(args)));
        assertSame(expected, sorted(kiscsi(oracleTree, args)), String.join(" ", args) + " (kiscsi on open-iscsi's tree)");
        assertSame(expected, sorted(kiscsi(kiscsiTree, args)), String.join(" ", args) + " (kiscsi on its own tree)");
    }

    private void treesAgree(String... portals) throws Exception {
        assertSame(sorted(clean(onOracleTree.run("-m", "discovery"))), sorted(clean(onKiscsiTree.run("-m", "discovery"))),
                "open-iscsi listing kiscsi's discovery records");
        for (String p : portals) {
            String[] show = {"-m", "discoverydb", "-t", "st", "-p", p, "-o", "show", "-S"};
            assertSame(clean(onOracleTree.run(show)), clean(onKiscsiTree.run(show)), "open-iscsi reading kiscsi's " + p);
        }
    }

    @Test
    void noRecordsAndBadArguments() throws Exception {
        read("-m", "discovery");
        read("-m", "discoverydb");
        read("-m", "discovery", "-P", "1");
        both("-m", "discovery", "-o", "delete");
        both("-m", "discoverydb", "-o", "new");
        both("-m", "discovery", "-p", "127.0.0.1");
        both("-m", "discovery", "-t", "st");
        both("-m", "discovery", "-t", "isns");
        both("-m", "discovery", "-t", "slp", "-p", "127.0.0.1");
        both("-m", "discovery", "-t", "st", "-p", "127.0.0.1", "-T", "iqn.2026-11.org.kiscsi.cli:x");
        both("-m", "discovery", "-t", "st", "-p", "127.0.0.1", "-W");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-u");
        both("-m", "discoverydb", "-p", "127.0.0.1");
        both("-m", "discoverydb", "-p", "127.0.0.1", "-o", "show");
        both("-m", "discoverydb", "-t", "st");
        both("-m", "discoverydb", "-t", "fw");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "show");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "delete");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "update", "-n", "discovery.startup", "-v", "manual");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.1", "-o", "show");
    }

    @Test
    void discoveryRecordsWrittenShownChangedAndDeletedAsOpenIscsiDoes() throws Exception {
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "new");
        both("-m", "discoverydb", "-t", "sendtargets", "-p", "127.0.0.2:3261", "-o", "new");
        both("-m", "discoverydb", "-t", "st", "-p", "[::1]:3262", "-o", "new");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.3", "-o", "new");
        readList("-m", "discovery");
        readList("-m", "discoverydb");
        readList("-m", "discovery", "-P", "1");
        read("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "show");
        read("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1");
        read("-m", "discoverydb", "-t", "st", "-p", "[::1]:3262", "-o", "show");
        read("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.3", "-o", "show");
        read("-m", "discovery", "-p", "127.0.0.2:3261");
        read("-m", "discovery", "-p", "127.0.0.2:3261", "-o", "show");

        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "update",
                "-n", "discovery.sendtargets.auth.authmethod", "-v", "CHAP",
                "-n", "discovery.sendtargets.auth.username", "-v", "disc-user",
                "-n", "discovery.sendtargets.auth.password", "-v", "disc-secret-1",
                "-n", "discovery.sendtargets.timeo.login_timeout", "-v", "7");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "update");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "update", "-n", "discovery.sendtargets.port", "-v", "1");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "update", "-n", "discovery.bogus", "-v", "1");
        read("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "show");
        read("-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "-o", "show", "-S");
        both("-m", "discovery", "-p", "127.0.0.1", "-o", "update");
        both("-m", "discovery", "-p", "127.0.0.1", "-o", "new");
        treesAgree("127.0.0.1", "127.0.0.2:3261", "[::1]:3262");

        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.2:3261", "-o", "delete");
        both("-m", "discovery", "-p", "[::1]:3262", "-o", "delete");
        readList("-m", "discovery");
        treesAgree("127.0.0.1");
        assertTrue(kiscsi(kiscsiTree, "-m", "discoverydb", "-t", "st", "-p", "127.0.0.2:3261").exit() != 0, "gone");
    }

    /**
     * iSNS records ({@code isns/<ip>,<port>/isns_config}, the server under
     * {@code discovery.sendtargets.address}/{@code port}): written, shown, changed, listed and deleted as
     * open-iscsi does, and each side reads the other's files.
     */
    @Test
    void isnsRecordsWrittenShownChangedAndDeletedAsOpenIscsiDoes() throws Exception {
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "new");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.6:3206", "-o", "new");
        both("-m", "discoverydb", "-t", "isns", "-p", "[::1]:3207", "-o", "new");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "new");
        both("-m", "discoverydb", "-t", "st", "-p", "127.0.0.5", "-o", "new");
        assertEquals(Files.readString(oracleTree.resolve("isns/127.0.0.5,3205/isns_config")),
                Files.readString(kiscsiTree.resolve("isns/127.0.0.5,3205/isns_config")), "the file itself");
        readList("-m", "discovery");
        readList("-m", "discoverydb");
        readList("-m", "discovery", "-P", "1");
        read("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "show");
        read("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5:3205", "-o", "show", "-S");
        read("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.6:3206");
        read("-m", "discoverydb", "-t", "isns", "-p", "[::1]:3207", "-o", "show");
        read("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.6", "-o", "show");
        read("-m", "discovery", "-p", "127.0.0.6:3206");

        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "update",
                "-n", "discovery.isns.use_discoveryd", "-v", "Yes",
                "-n", "discovery.isns.discoveryd_poll_inval", "-v", "45");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "update",
                "-n", "discovery.sendtargets.auth.authmethod", "-v", "CHAP");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "update", "-n", "discovery.sendtargets.port", "-v", "1");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "update", "-n", "discovery.isns.use_discoveryd");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "update");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.9", "-o", "update", "-n", "discovery.isns.use_discoveryd",
                "-v", "Yes");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "nonpersistent");
        read("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "show");
        assertEquals(Files.readString(oracleTree.resolve("isns/127.0.0.5,3205/isns_config")),
                Files.readString(kiscsiTree.resolve("isns/127.0.0.5,3205/isns_config")), "the file after the updates");
        for (String p : new String[] {"127.0.0.5", "127.0.0.6:3206", "[::1]:3207"}) {
            String[] show = {"-m", "discoverydb", "-t", "isns", "-p", p, "-o", "show", "-S"};
            assertSame(clean(onOracleTree.run(show)), clean(onKiscsiTree.run(show)), "open-iscsi reading kiscsi's iSNS " + p);
        }
        assertSame(sorted(clean(onOracleTree.run("-m", "discovery"))), sorted(clean(onKiscsiTree.run("-m", "discovery"))),
                "open-iscsi listing kiscsi's iSNS records");

        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.6:3206", "-o", "delete");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.6:3206", "-o", "delete");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.6:3206", "-o", "show");
        both("-m", "discoverydb", "-t", "isns", "-p", "[::1]:3207", "-o", "delete");
        readList("-m", "discovery");
        read("-m", "discoverydb", "-t", "st", "-p", "127.0.0.5", "-o", "show");
        assertEquals(Files.exists(oracleTree.resolve("isns/127.0.0.6,3206")), Files.exists(kiscsiTree.resolve("isns/127.0.0.6,3206")),
                "the server's directory after the delete");
        both("-m", "discoverydb", "-t", "isns", "-p", "127.0.0.5", "-o", "delete");
        read("-m", "discovery");
    }

    @Test
    void whatKiscsiRefusesOrCannotDoSaysWhy() {
        OpenIscsiAdm.Run isns = kiscsi(kiscsiTree, "-m", "discovery", "-t", "isns", "-p", "127.0.0.1");
        assertEquals(17, isns.exit(), isns.toString());
        assertEquals("iscsiadm: Could not perform iSNS discovery: iSNS service not supported\n"
                + "iscsiadm: iSNS discovery of 127.0.0.1:3205: no iSNS discovery installed\n", isns.stderr());
        OpenIscsiAdm.Run st = kiscsi(kiscsiTree, "-m", "discoverydb", "-t", "st", "-p", "127.0.0.1", "--discover");
        assertEquals(27, st.exit(), st.toString());
        assertTrue(st.stderr().contains("no SendTargets discovery installed (feature kiscsi-discovery-sendtargets)"),
                st.stderr());
        OpenIscsiAdm.Run both = kiscsi(kiscsiTree, "-m", "discovery", "-t", "st", "-p", "127.0.0.1", "-o", "nonpersistent", "-l");
        assertEquals(7, both.exit(), both.toString());
        assertTrue(both.stderr().contains("-o nonpersistent writes none"), both.stderr());
        OpenIscsiAdm.Run fw = kiscsi(kiscsiTree, "-m", "discovery", "-t", "fw");
        assertEquals(27, fw.exit(), fw.toString());
        assertEquals(21, kiscsi(kiscsiTree, "-m", "node").exit(), "nothing was written");
    }
}

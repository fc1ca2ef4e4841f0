package org.kiscsi.iscsiadm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.store.file.FileNodeStore;
import org.kiscsi.testkit.peers.OpenIscsiAdm;

/**
 * bin/iscsiadm's record operations byte for byte against open-iscsi 2.1.8's own iscsiadm: every
 * command runs on two record trees, open-iscsi's on one and kiscsi's (over {@link FileManagement}
 * and the file store) on the other, and standard output, standard error and the exit code must be
 * the same; kiscsi also reads open-iscsi's tree, and open-iscsi reads what kiscsi wrote. Only
 * open-iscsi's complaint about the iscsid that is not running here is removed from its stderr.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OpenIscsiComparisonTest {
    private static final String T = "iqn.2026-11.org.kiscsi.cli:disk1";
    private static final String T2 = "iqn.2026-11.org.kiscsi.cli:a-disk";

    @TempDir
    Path tmp;
    Path oracleTree;
    Path kiscsiTree;
    OpenIscsiAdm onOracleTree;
    OpenIscsiAdm onKiscsiTree;

    @BeforeEach
    void oracle() throws Exception {
        oracleTree = tmp.resolve("oracle-etc");
        kiscsiTree = tmp.resolve("kiscsi-etc");
        onOracleTree = OpenIscsiAdm.on(oracleTree, tmp);
        onKiscsiTree = OpenIscsiAdm.on(kiscsiTree, tmp);
    }

    private static OpenIscsiAdm.Run kiscsi(Path tree, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (FileNodeStore store = FileNodeStore.open(tree)) {
            int rc = new Iscsiadm(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    tree.resolve("no.sock"), s -> new FileManagement(store, Path.of("/etc/iscsi"))).run(args);
            return new OpenIscsiAdm.Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** open-iscsi's run without its complaint about the missing iscsid. */
    private static OpenIscsiAdm.Run clean(OpenIscsiAdm.Run r) {
        String err = r.stderr().replaceAll("(?m)^iscsiadm: read error \\(-?\\d+/\\d+\\), daemon died\\?\n", "");
        return new OpenIscsiAdm.Run(r.exit(), r.stdout(), err);
    }

    private static void assertSame(OpenIscsiAdm.Run expected, OpenIscsiAdm.Run actual, String what) {
        assertEquals(expected.stdout(), actual.stdout(), what + ": stdout");
        assertEquals(expected.stderr(), actual.stderr(), what + ": stderr");
        assertEquals(expected.exit(), actual.exit(), what + ": exit code");
    }

    /** A command open-iscsi runs on its tree and kiscsi on its own: same output. */
    private void both(String... args) throws Exception {
        assertSame(clean(onOracleTree.run(args)), kiscsi(kiscsiTree, args), String.join(" ", args));
    }

    /** A reading command: kiscsi on either tree prints what open-iscsi prints. */
    private void read(String... args) throws Exception {
        OpenIscsiAdm.Run expected = clean(onOracleTree.run(args));
        assertSame(expected, kiscsi(oracleTree, args), String.join(" ", args) + " (kiscsi on open-iscsi's tree)");
        assertSame(expected, kiscsi(kiscsiTree, args), String.join(" ", args) + " (kiscsi on its own tree)");
    }

    /** open-iscsi reads both trees the same: what kiscsi wrote is what open-iscsi wrote. */
    private void treesAgree() throws Exception {
        for (String[] args : new String[][] {{"-m", "node", "-o", "show", "-S"}, {"-m", "node", "-P", "1"}, {"-m", "iface"}}) {
            assertSame(clean(onOracleTree.run(args)), clean(onKiscsiTree.run(args)), "open-iscsi reading kiscsi's tree: "
                    + String.join(" ", args));
        }
    }

    @Test
    void emptyTreesAndBadArguments() throws Exception {
        read("-m", "node");
        read("-m", "node", "-o", "show");
        read("-m", "node", "-T", T);
        read("-m", "iface");
        read("-m", "session");
        both("-m", "node", "-T", T, "-o", "delete");
        both("-m", "node", "-T", T, "-o", "update", "-n", "node.startup", "-v", "automatic");
        both("-m", "node", "-P", "2");
        both("-m", "node", "-o", "bogus");
        both("-m", "node", "-T", T, "--login", "--logout");
        both("-m", "node", "-T", T, "--login", "-o", "show");
        both("-m", "node", "-o", "nonpersistent", "-T", T);
        both("-m", "node", "-H", "1");
        both("-m", "node", "-L", "bogus");
        both("-m", "node", "-U", "onboot");
        both("-m", "node", "-L", "all");
        both("-m", "node", "-U", "all");
        both("-m", "node", "-T", T, "-p", "127.0.0.1", "--logout");
        both("-m", "node", "-T", T, "-p", "127.0.0.1", "-R");
        both("-m", "node", "-T", T, "-p", "127.0.0.1", "-s");
        both("-m", "session", "-o", "new");
        both("-m", "session", "-T", T);
        both("-m", "session", "-u");
        both("-m", "session", "-R");
        both("-m", "session", "-s");
        both("-m", "session", "-P", "1");
        both("-m", "iface", "-I", "default", "-o", "new");
        both("-m", "iface", "-I", "gone", "-o", "delete");
        both("-m", "iface", "-o", "update");
        both("-m", "iface", "-o", "delete");
    }

    @Test
    void recordsWrittenReadAndChangedAsOpenIscsiDoes() throws Exception {
        both("-m", "iface", "-I", "if2", "-o", "new", "-n", "iface.ipaddress", "-v", "127.0.0.5",
                "-n", "iface.initiatorname", "-v", "iqn.2026-11.org.kiscsi.cli:init");
        both("-m", "iface", "-I", "if1", "-o", "new");
        both("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1");
        both("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3261");
        both("-m", "node", "-o", "new", "-T", T, "-p", "[::1]:3260,2");
        both("-m", "node", "-o", "new", "-T", T2, "-p", "127.0.0.2");
        both("-m", "node", "-o", "new", "-T", T, "-p", "127.0.0.1:3260,1", "-I", "if2");
        both("-m", "node", "-T", T, "-p", "127.0.0.1:3260", "-o", "update",
                "-n", "node.session.auth.authmethod", "-v", "CHAP",
                "-n", "node.session.auth.username", "-v", "cli-user",
                "-n", "node.session.auth.password", "-v", "cli-secret-1",
                "-n", "node.session.auth.password_in", "-v", "cli-secret-2",
                "-n", "node.startup", "-v", "automatic");
        treesAgree();

        read("-m", "node");
        read("-m", "node", "-P", "1");
        read("-m", "node", "-o", "show");
        read("-m", "node", "-o", "show", "-S");
        read("-m", "node", "-T", T, "-p", "127.0.0.1:3260,1");
        read("-m", "node", "-T", T, "-p", "127.0.0.1:3260", "-I", "if2", "-o", "show", "-S");
        read("-m", "node", "-T", T, "-p", "[::1]:3260", "-o", "show");
        read("-m", "node", "-T", "iqn.2026-11.org.kiscsi.cli:none", "-o", "show");
        read("-m", "iface");
        read("-m", "iface", "-P", "1");
        read("-m", "iface", "-I", "if2");
        read("-m", "iface", "-I", "if2", "-P", "1");
        read("-m", "iface", "-I", "if1", "-o", "show");

        both("-m", "node", "-T", T, "-o", "update", "-n", "node.bogus", "-v", "1");
        both("-m", "node", "-T", T, "-o", "update", "-n", "node.name", "-v", T2);
        both("-m", "node", "-T", T, "-o", "update", "-n", "node.conn[0].address", "-v", "127.0.0.9");
        both("-m", "node", "-T", T, "-o", "update", "-n", "iface.ipaddress", "-v", "127.0.0.9");
        both("-m", "node", "-T", T, "-o", "update");
        both("-m", "node", "-T", T, "-o", "update", "-n", "node.startup");
        both("-m", "node", "-T", T, "-o", "update", "-n", "node.session.timeo.replacement_timeout", "-v", "33",
                "-n", "node.conn[0].iscsi.HeaderDigest", "-v", "CRC32C,None");
        treesAgree();

        both("-m", "node", "-o", "new", "-T", T2);
        both("-m", "node", "-T", T, "-p", "127.0.0.1:3261", "-o", "delete");
        both("-m", "iface", "-I", "if1", "-o", "delete");
        treesAgree();
        read("-m", "node");
        read("-m", "iface");
    }
}

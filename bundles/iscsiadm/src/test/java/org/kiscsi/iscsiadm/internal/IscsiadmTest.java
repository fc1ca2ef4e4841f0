package org.kiscsi.iscsiadm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.MgmtResponse;

class IscsiadmTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** The record and session operations, over a file store in the test's directory. */
    private FileManagement management;

    @org.junit.jupiter.api.BeforeEach
    void management() {
        management = new FileManagement(org.kiscsi.store.file.FileNodeStore.open(dir.resolve("etc-iscsi")));
    }

    private Path socket() {
        return dir.resolve("iscsid.sock");
    }

    private int run(String... args) {
        return new Iscsiadm(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                socket(), s -> management).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void daemonModePrintsTheStatusRows() throws Exception {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("iscsid.state", "running");
        row.put("iscsid.pid", "42");
        try (FakeDaemon d = new FakeDaemon(socket(), r -> MgmtResponse.ok("up", List.of(row)))) {
            assertEquals(0, run("-m", "daemon"));
            assertEquals("iscsid.state = running\niscsid.pid = 42\n", out());
            assertEquals(0, run("--mode=daemon", "-P", "1"));
            assertEquals(List.of("status", "status"), d.requests);
        }
    }

    @Test
    void noDaemonIsExitCode20() {
        assertEquals(IscsiError.ISCSID_NOTCONN.code(), run("-m", "daemon"));
        assertTrue(err().startsWith("iscsiadm: can not connect to iSCSI daemon at " + socket()), err());
        assertEquals(20, run("-k", "0"));
    }

    @Test
    void anErrorAnswerIsTheExitCode() throws Exception {
        try (FakeDaemon d = new FakeDaemon(socket(), r -> MgmtResponse.error(IscsiError.ACCESS.code(), "permission denied: user x"))) {
            assertEquals(13, run("-m", "daemon"));
            assertEquals("iscsiadm: permission denied: user x\n", err());
        }
    }

    @Test
    void killIscsidStopsTheDaemonAndWaitsUntilItsProcessIsGone() throws Exception {
        Process fakeDaemonProcess = new ProcessBuilder("sleep", "1").start();
        long pid = fakeDaemonProcess.pid();
        try (FakeDaemon d = new FakeDaemon(socket(), r -> MgmtResponse.ok("stopping", List.of(Map.of("iscsid.pid", Long.toString(pid)))))) {
            assertEquals(0, run("-k", "0"));
            assertFalse(fakeDaemonProcess.isAlive(), "iscsiadm returned before the daemon's process was gone");
            assertEquals(List.of("stop"), d.requests);
            assertEquals(0, run("--killiscsid=0"));
        } finally {
            fakeDaemonProcess.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyPriorityZeroExists() {
        assertEquals(IscsiError.INVAL.code(), run("-k", "1"));
        assertTrue(err().contains("only 0 (stop at once) is supported"), err());
    }

    @Test
    void badCommandLinesAreInvalidArguments() {
        assertEquals(7, run());
        assertTrue(err().contains("no mode specified"));
        assertEquals(7, run("-m", "bogus"));
        assertTrue(err().contains("invalid mode 'bogus' (kiscsi has: daemon, discovery, discoverydb, node, session, iface, host)"), err());
        assertEquals(7, run("-m", "session", "-T", "iqn.2026-11.org.kiscsi:t"));
        assertTrue(err().contains("iscsiadm: session mode: option '-T' is not allowed/supported"), err());
        assertEquals(7, run("-m", "daemon", "-k", "0", "-z"));
        assertTrue(err().contains("invalid option -- 'z'"), err());
        assertEquals(7, run("--bogus"));
        assertEquals(7, run("-m"));
        assertTrue(err().contains("requires an argument"), err());
    }

    @Test
    void modesRefuseOptionsTheyDoNotTake() throws Exception {
        CommandLine line = CommandLine.parse("-m", "daemon", "-k0");
        assertEquals("0", line.value(Option.KILL_ISCSID).orElseThrow());
        assertTrue(Iscsiadm.MODES.get("daemon").options().contains(Option.PRINT));
        assertFalse(Iscsiadm.MODES.get("daemon").options().contains(Option.KILL_ISCSID));
        assertEquals(0, run("-m", "daemon", "-V", "-h"), "help and version are honoured first");
        assertEquals(7, run("-k", "0", "-P", "1"));
        assertTrue(err().contains("option -P, --print is not allowed with -k"), err());
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run("-h"));
        assertTrue(out().startsWith("Usage: iscsiadm"));
        out.reset();
        assertEquals(0, run("--version"));
        assertTrue(out().matches("iscsiadm version \\d+\\.\\d+\\.\\d+.*\\n"), out());
    }

    @Test
    void theSocketIsTheOneTheDaemonIsConfiguredWith() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        assertEquals(dir.resolve("run/iscsid.sock"), DaemonClient.socketOf(dir, etc), "default");
        Files.writeString(etc.resolve("org.kiscsi.iscsid.cfg"), "# comment\nsocket = ${karaf.base}/var/iscsid.sock\n");
        assertEquals(dir.resolve("var/iscsid.sock"), DaemonClient.socketOf(dir, etc));
        Files.writeString(etc.resolve("org.kiscsi.iscsid.cfg"), "socket = /run/kiscsi/iscsid.sock\n");
        assertEquals(Path.of("/run/kiscsi/iscsid.sock"), DaemonClient.socketOf(dir, etc));
    }

    @Test
    void inameGeneratesValidNamesWithTheRandomPartIscsiInameUses() {
        String a = IscsiIname.generate(IscsiIname.DEFAULT_PREFIX);
        String b = IscsiIname.generate(IscsiIname.DEFAULT_PREFIX);
        assertTrue(a.matches("iqn\\.2016-04\\.com\\.open-iscsi:[0-9a-f]{12}"), a);
        assertFalse(a.equals(b), "two names must differ");
        assertTrue(IscsiIname.generate("iqn.2005-03.org.example").startsWith("iqn.2005-03.org.example:"));
        assertEquals(IscsiError.INVAL, org.junit.jupiter.api.Assertions.assertThrows(org.kiscsi.api.IscsiException.class,
                () -> IscsiIname.generate("iqn.bad")).error());
        org.junit.jupiter.api.Assertions.assertThrows(org.kiscsi.api.IscsiException.class, () -> IscsiIname.generate("eui.x"));
    }
}

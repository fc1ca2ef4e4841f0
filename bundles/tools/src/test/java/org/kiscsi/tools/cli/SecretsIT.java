package org.kiscsi.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.testkit.peers.ChapCredentials;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;
import org.kiscsi.testkit.peers.Tool;
import org.kiscsi.tools.url.IscsiUrlParser;

/**
 * CHAP secrets given to a tool in a file or in libiscsi's environment variables: the login works, and the
 * secret is neither in {@code /proc/PID/cmdline} while the tool runs (a separate JVM, sampled throughout)
 * nor in anything it prints, its debug log included. A secret in the URL works and warns.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecretsIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:secrets";
    private static final String USER = "tooluser";
    private static final String SECRET = "tool-secret-4f9a2c";
    private static Tgtd tgtd;
    private static TgtTarget target;

    @BeforeAll
    static void start() {
        Tool.require(Tool.TGTD);
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.nullDevice());
        target.requireChap(new ChapCredentials(USER, SECRET));
        target.allowAll();
    }

    @AfterAll
    static void stop() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    private static String url(String userPart) {
        return "iscsi://" + userPart + tgtd.portal().hostPort() + "/" + IQN + "/1";
    }

    /** What a separate tool JVM did, and every command line seen while it ran. */
    private record Observed(int code, String output, List<String> cmdlines) {
    }

    private static Observed runJvm(Map<String, String> env, Path dir, String... toolArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), KiscsiBench.class.getName()));
        cmd.addAll(List.of(toolArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LIBISCSI_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> cmdlines = new ArrayList<>();
        Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            try {
                cmdlines.add(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' '));
            } catch (IOException gone) {
                // the process ended between the check and the read
            }
        }
        return new Observed(p.exitValue(), Files.readString(dir.resolve("out.txt")), cmdlines);
    }

    private static void assertSecretKept(Observed o) {
        assertEquals(0, o.code(), o.output());
        assertTrue(o.output().contains("iops="), "the benchmark ran over the CHAP session: " + o.output());
        assertTrue(o.cmdlines().size() >= 10, "sampled the command line throughout the run: " + o.cmdlines().size());
        for (String c : o.cmdlines()) {
            assertFalse(c.contains(SECRET), "the secret is in /proc/PID/cmdline: " + c.replace(SECRET, "<SECRET>"));
        }
        assertFalse(o.output().contains(SECRET), "the secret is in the output");
    }

    @Test
    void passwordFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("chap-secret");
        Files.writeString(file, SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Observed o = runJvm(Map.of(), dir, "-d", "--password-file", file.toString(), "--seconds", "2", "--warmup", "1", "--qd", "4",
                url(USER + "@"));
        assertSecretKept(o);
        assertTrue(o.output().contains("DEBUG"), "the debug log was on, and searched: " + o.output().length());
    }

    @Test
    void environmentVariables(@TempDir Path dir) throws Exception {
        Observed o = runJvm(Map.of(IscsiUrlParser.ENV_USER, USER, IscsiUrlParser.ENV_PASSWORD, SECRET), dir,
                "-d", "--seconds", "2", "--warmup", "1", "--qd", "4", url(""));
        assertSecretKept(o);
    }

    @Test
    void aSecretInTheUrlWorksAndWarnsWithoutRepeatingIt() {
        Run r = Run.of(new KiscsiReadcap(), "-s", url(USER + "%" + SECRET + "@"));
        assertEquals(0, r.code(), r.toString().replace(SECRET, "<SECRET>"));
        assertTrue(r.err().contains("warning: the URL iscsi://***@"), r.err());
        assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET));
        Run wrong = Run.of(new KiscsiReadcap(), "-s", url(USER + "%not-the-secret-1@"));
        assertEquals(24, wrong.code(), wrong.toString());
        assertFalse(wrong.err().contains("not-the-secret-1"), wrong.err());
        Run none = Run.of(new KiscsiReadcap(), "-s", url(""));
        assertEquals(24, none.code(), none.toString());
    }
}

package org.kiscsi.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * open-iscsi's own iscsiadm (Debian's 2.1.8, unpacked by dev/fetch-open-iscsi), run on a test's
 * directory in a private mount and network namespace: the oracle for the record format.
 */
final class Iscsiadm {
    static final String FETCH = "dev/fetch-open-iscsi";
    private static final long TIMEOUT_SECONDS = 30;

    private final Path openIscsi;
    private final Path script;
    private final Path etc;

    private Iscsiadm(Path openIscsi, Path script, Path etc) {
        this.openIscsi = openIscsi;
        this.script = script;
        this.etc = etc;
    }

    /** The oracle on {@code etc} (which gets open-iscsi's iscsid.conf); fails saying what to install when it cannot run. */
    static Iscsiadm on(Path etc, Path scratch) throws IOException {
        String dir = System.getenv().getOrDefault("KISCSI_OPEN_ISCSI", "/var/cache/kiscsi/open-iscsi-2.1.8");
        Path oi = Path.of(dir);
        if (!Files.isExecutable(oi.resolve("sbin/iscsiadm"))) {
            fail("open-iscsi's iscsiadm is not unpacked in " + oi + ": run " + FETCH + " (dev/test does)");
        }
        for (String tool : List.of("unshare", "socat", "mount")) {
            if (!onPath(tool)) {
                fail(tool + " is missing: run " + FETCH + " (it installs util-linux and socat)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("the iscsiadm oracle needs root (unshare -m -n); run the tests as root as dev/test does");
        }
        Path script = scratch.resolve("iscsiadm-in-namespace.sh");
        try (InputStream in = Iscsiadm.class.getResourceAsStream("iscsiadm-in-namespace.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Files.createDirectories(etc);
        Files.copy(oi.resolve("etc/iscsi/iscsid.conf"), etc.resolve("iscsid.conf"));
        return new Iscsiadm(oi, script, etc);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    static final class Result {
        final int rc;
        final String out;
        final String err;

        Result(int rc, String out, String err) {
            this.rc = rc;
            this.out = out;
            this.err = err;
        }
    }

    /** Runs iscsiadm with these arguments. */
    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "-n", "bash", script.toString(), etc.toString(),
                openIscsi.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(script.getParent(), "out", ".txt");
        Path err = Files.createTempFile(script.getParent(), "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("iscsiadm " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs iscsiadm and asserts it exited with 0; its standard output. */
    String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.rc, () -> "iscsiadm " + String.join(" ", args) + " failed: " + r.err + r.out);
        return r.out;
    }

    /** {@code key = value} lines of show output, in order ({@code <empty>} kept as it is). */
    static Map<String, String> parseShow(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf(" = ");
            if (!line.startsWith("#") && eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        return m;
    }
}

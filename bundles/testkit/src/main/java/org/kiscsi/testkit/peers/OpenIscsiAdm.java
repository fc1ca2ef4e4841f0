package org.kiscsi.testkit.peers;

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
 * etc/iscsi directory in a private mount and network namespace (the script bind-mounts it on
 * /etc/iscsi there): the oracle for open-iscsi's record layout and format, and a way to write records
 * as open-iscsi's users do. One difference from a host running iscsid, seen with 2.1.8: here
 * {@code -o new} ignores iscsid.conf (most likely because it asks iscsid for the config file's path
 * and no iscsid answers: "read error (0/2), daemon died?"), so new records carry open-iscsi's
 * compiled-in defaults (login_timeout 30, initial_login_retry_max 4, authmethod None) whatever
 * iscsid.conf says; set what matters with {@link #update}.
 */
public final class OpenIscsiAdm {
    public static final String FETCH = "dev/fetch-open-iscsi";
    private static final long TIMEOUT_S = 30;
    private static final String SCRIPT = "iscsiadm-in-namespace.sh";

    private final Path openIscsi;
    private final Path script;
    private final Path etc;

    private OpenIscsiAdm(Path openIscsi, Path script, Path etc) {
        this.openIscsi = openIscsi;
        this.script = script;
        this.etc = etc;
    }

    /**
     * The oracle on {@code etc}; an {@code etc} without an iscsid.conf gets open-iscsi's own. Fails
     * (a {@link PeerException}) saying what is missing when it cannot run.
     */
    public static OpenIscsiAdm on(Path etc, Path scratch) throws IOException {
        Path oi = Path.of(System.getenv().getOrDefault("KISCSI_OPEN_ISCSI", "/var/cache/kiscsi/open-iscsi-2.1.8"));
        if (!Files.isExecutable(oi.resolve("sbin/iscsiadm"))) {
            throw new PeerException("open-iscsi's iscsiadm is not unpacked in " + oi + ": run " + FETCH + " (dev/test does)");
        }
        for (String tool : List.of("unshare", "socat", "mount")) {
            if (!onPath(tool)) {
                throw new PeerException(tool + " is missing: run " + FETCH + " (it installs util-linux and socat)");
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new PeerException("open-iscsi's iscsiadm as oracle needs root (unshare -m -n); run the tests as root as dev/test does");
        }
        Files.createDirectories(etc);
        if (!Files.isRegularFile(etc.resolve("iscsid.conf"))) {
            Files.copy(oi.resolve("etc/iscsi/iscsid.conf"), etc.resolve("iscsid.conf"));
        }
        Path script = scratch.resolve(SCRIPT);
        try (InputStream in = OpenIscsiAdm.class.getResourceAsStream(SCRIPT)) {
            Files.write(script, in.readAllBytes());
        }
        return new OpenIscsiAdm(oi, script, etc);
    }

    private static boolean onPath(String tool) {
        for (String d : (System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Exit status, standard output and standard error of one run. */
    public record Run(int exit, String stdout, String stderr) {
    }

    /** Runs open-iscsi's iscsiadm with these arguments (bounded). */
    public Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "-n", "bash", script.toString(), etc.toString(),
                openIscsi.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(script.getParent(), "oracle-", ".out");
        Path err = Files.createTempFile(script.getParent(), "oracle-", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new PeerException("open-iscsi's iscsiadm " + String.join(" ", args) + " did not finish in " + TIMEOUT_S + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs it and fails (a {@link PeerException}) unless it exits with 0; its standard output. */
    public String ok(String... args) throws IOException, InterruptedException {
        Run r = run(args);
        if (r.exit() != 0) {
            // the arguments may hold secrets: the message names the operation, not the values
            throw new PeerException("open-iscsi's iscsiadm " + String.join(" ", args.length > 6 ? List.of(args).subList(0, 6)
                    : List.of(args)) + " ... failed (" + r.exit() + "): " + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /** {@code key = value} lines of show output, in order ({@code <empty>} kept as it is). */
    public static Map<String, String> parseShow(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf(" = ");
            if (!line.startsWith("#") && eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        return m;
    }

    /** {@code iscsiadm -m node -o new -T target -p portal}: a record with iscsid.conf's defaults. */
    public void newNode(String target, String portal) throws IOException, InterruptedException {
        ok("-m", "node", "-o", "new", "-T", target, "-p", portal);
    }

    /** {@code iscsiadm -m node -T target -p portal -o update -n k1 -v v1 -n k2 -v v2 ...}. */
    public void update(String target, String portal, String... keysAndValues) throws IOException, InterruptedException {
        if (keysAndValues.length == 0 || keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("key value pairs expected");
        }
        List<String> a = new ArrayList<>(List.of("-m", "node", "-T", target, "-p", portal, "-o", "update"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            a.addAll(List.of("-n", keysAndValues[i], "-v", keysAndValues[i + 1]));
        }
        ok(a.toArray(new String[0]));
    }
}

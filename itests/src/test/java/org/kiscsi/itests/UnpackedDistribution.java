package org.kiscsi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The assembled distribution unpacked into a temporary directory of a test class's own (its etc/
 * given free SSH, RMI and JMX ports), with bin/iscsid and bin/iscsiadm run in it as a user runs them.
 * Every daemon started from it is remembered and {@link #stopDaemons() stopped}: politely with
 * {@code iscsiadm -k 0} while one answers, then by pid.
 */
final class UnpackedDistribution implements AutoCloseable {
    static final long START_TIMEOUT_S = 150;
    /** bin/iscsid's own wait for a background daemon: a first boot on a busy 2-core machine can take over a minute. */
    private static final String STARTUP_WAIT_S = "120";

    private final Path tmp;
    private final Path home;
    private final List<Long> started = new ArrayList<>();
    /** What each bin/iscsid run in the background printed, in order. */
    private final List<String> startOutputs = new ArrayList<>();

    private UnpackedDistribution(Path tmp, Path home) {
        this.tmp = tmp;
        this.home = home;
    }

    /** Unpacks the tar.gz named by the system property kiscsi.assembly (failsafe sets it). */
    static UnpackedDistribution unpack() throws Exception {
        String assembly = System.getProperty("kiscsi.assembly");
        if (assembly == null || !new File(assembly).isFile()) {
            throw new IllegalStateException("kiscsi.assembly does not name the built distribution: " + assembly
                    + " (build karaf-assembly first)");
        }
        Path tmp = Files.createTempDirectory("kiscsi-it-");
        Result tar = exec(tmp, tmp, 60, "tar", "-xzf", assembly, "-C", tmp.toString());
        assertEquals("tar: " + tar.output, 0, tar.exit);
        Path home;
        try (Stream<Path> s = Files.list(tmp)) {
            home = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        setLine(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(freePort()));
        setLine(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(freePort()));
        setLine(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(freePort()));
        return new UnpackedDistribution(tmp, home);
    }

    /** The installation directory (KARAF_HOME). */
    Path home() {
        return home;
    }

    /** Scratch space beside the installation, removed with it. */
    Path tmp() {
        return tmp;
    }

    Path pidFile() {
        return home.resolve("run/iscsid.pid");
    }

    Path karafLog() {
        return home.resolve("data/log/karaf.log");
    }

    /** How long karaf.log is now: {@link #logSince} reads what a test added after this point. */
    long logMark() throws IOException {
        return Files.exists(karafLog()) ? Files.size(karafLog()) : 0;
    }

    /** What karaf.log gained since {@code mark} (the whole log if it was rolled over meanwhile). */
    String logSince(long mark) throws IOException {
        byte[] all = Files.exists(karafLog()) ? Files.readAllBytes(karafLog()) : new byte[0];
        int from = mark <= all.length ? (int) mark : 0;
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** Runs {@code bin/<cmd[0]> cmd[1..]} in the installation to its end (bounded). */
    Result bin(String... cmd) throws Exception {
        String[] full = cmd.clone();
        full[0] = "bin/" + cmd[0];
        return exec(tmp, home, START_TIMEOUT_S, full);
    }

    /** Runs {@code bin/<cmd[0]> cmd[1..]} to its end (bounded), keeping standard output and errors apart. */
    Split binSplit(String... cmd) throws Exception {
        String[] full = cmd.clone();
        full[0] = "bin/" + cmd[0];
        Path out = Files.createTempFile(tmp, "exec-", ".out");
        Path err = Files.createTempFile(tmp, "exec-", ".err");
        Process p = environment(new ProcessBuilder(full).directory(home.toFile())).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", full) + " did not finish within " + START_TIMEOUT_S + " s: "
                    + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
        }
        Split r = new Split(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** What a command printed on standard output and on standard error, and its exit status. */
    record Split(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + ", stdout:\n" + stdout + "stderr:\n" + stderr;
        }
    }

    /** A process in the installation directory with this JVM's JAVA_HOME. */
    ProcessBuilder command(String... cmd) {
        return environment(new ProcessBuilder(cmd).directory(home.toFile()));
    }

    /** Remembers a daemon's pid so {@link #stopDaemons()} ends it should the test not. */
    void track(long pid) {
        started.add(pid);
    }

    /** bin/iscsid in the background; returns the daemon's pid once it answers. */
    long startBackground(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("iscsid"));
        cmd.addAll(Arrays.asList(flags));
        Result r = bin(cmd.toArray(new String[0]));
        startOutputs.add(r.output);
        readPid(pidFile()).ifPresent(started::add);
        assertEquals("bin/iscsid: " + r.output, 0, r.exit);
        long pid = Long.parseLong(status("iscsid.pid"));
        started.add(pid);
        return pid;
    }

    /**
     * bin/iscsid in the background, then until the status shows the session engine: the daemon
     * answers as soon as its socket is up, and the engine's bundle may still be activating then.
     */
    long startWithEngine(String... flags) throws Exception {
        long pid = startBackground(flags);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String engine = status("providers.session_engine");
        while (!engine.equals("present") && System.nanoTime() < end) {
            Thread.sleep(250);
            engine = status("providers.session_engine");
        }
        assertEquals("providers.session_engine within 60 s of start-up", "present", engine);
        return pid;
    }

    /** What every bin/iscsid started by {@link #startBackground} printed (output and errors), oldest first. */
    List<String> startOutputs() {
        return List.copyOf(startOutputs);
    }

    /** One line of {@code iscsiadm -m daemon}; fails when the daemon does not answer. */
    String status(String key) throws Exception {
        Result status = bin("iscsiadm", "-m", "daemon");
        assertEquals(status.output, 0, status.exit);
        return status.value(key).orElseThrow(() -> new AssertionError("no '" + key + "' in: " + status.output));
    }

    /** Polls bin/iscsiadm -m daemon until the daemon answers (or the process died, or time is up). */
    Result awaitStatus(Process daemon) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        Result last = null;
        while (System.nanoTime() < end) {
            assertTrue("the daemon died: " + (last == null ? "" : last.output), daemon.isAlive());
            if (Files.exists(home.resolve("run/iscsid.sock"))) {
                last = bin("iscsiadm", "-m", "daemon");
                if (last.exit == 0) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the daemon did not answer within " + START_TIMEOUT_S + " s");
    }

    /**
     * Stops every daemon a test left running: {@code iscsiadm -k 0} first (its sessions are logged
     * out politely), then each remembered pid, then the pid file's, and removes pid file and socket.
     */
    void stopDaemons() throws Exception {
        if (Files.exists(home.resolve("run/iscsid.sock"))) {
            try {
                bin("iscsiadm", "-k", "0");
            } catch (AssertionError e) {
                // did not end in time: killed below
            }
        }
        readPid(pidFile()).ifPresent(started::add);
        for (long pid : started) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            // only a java process: a pid reused by something else since is left alone
            if (p.isPresent() && p.get().isAlive() && p.get().info().command().orElse("").contains("java")) {
                p.get().destroyForcibly();
                p.get().onExit().get(30, TimeUnit.SECONDS);
            }
        }
        started.clear();
        Files.deleteIfExists(pidFile());
        Files.deleteIfExists(home.resolve("run/iscsid.sock"));
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String tail(String s) {
        return s.length() <= 3000 ? s : "..." + s.substring(s.length() - 3000);
    }

    /** What a command printed (output and errors together) and its exit status. */
    record Result(int exit, String output) {
        /** The value of a {@code key = value} line, as {@code iscsiadm -m daemon} prints them. */
        Optional<String> value(String key) {
            return output.lines().filter(l -> l.startsWith(key + " = ")).findFirst().map(l -> l.substring(key.length() + 3));
        }
    }

    /** This JVM's JAVA_HOME, and a start-up wait that suits a loaded machine. */
    private static ProcessBuilder environment(ProcessBuilder pb) {
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("ISCSID_STARTUP_WAIT", STARTUP_WAIT_S);
        return pb;
    }

    /** Runs a command to its end (bounded), output and errors together in a file (daemons may inherit pipes). */
    static Result exec(Path scratch, Path dir, long timeoutS, String... cmd) throws Exception {
        Path out = Files.createTempFile(scratch, "exec-", ".out");
        Process p = environment(new ProcessBuilder(cmd).directory(dir.toFile())).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutS + " s: "
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }

    /** Sets {@code key = value} in a .cfg file, replacing the key's line or adding one. */
    static void setLine(Path cfg, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String l : Files.readAllLines(cfg)) {
            if (l.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                l = key + " = " + value;
                found = true;
            }
            lines.add(l);
        }
        if (!found) {
            lines.add(key + " = " + value);
        }
        // written beside and moved over: Karaf's fileinstall must never read half a file
        Path next = cfg.resolveSibling(cfg.getFileName() + ".next");
        Files.write(next, lines);
        Files.move(next, cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls {@code condition} every 250 ms until it holds or {@code timeoutS} seconds have passed. */
    static boolean waitFor(BooleanSupplier condition, long timeoutS) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return condition.getAsBoolean();
    }
}

package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Long-running peer processes (daemons, captures) and bounded waiting. A daemon started here
 * writes stdout and stderr to its log file and is killed by a JVM shutdown hook if the test
 * that started it never stopped it.
 */
public final class Processes {
    private static final System.Logger LOG = System.getLogger(Processes.class.getName());
    private static final long POLL_MILLIS = 25;

    private Processes() {
    }

    /** Starts {@code command} in the background, stdout and stderr appended to {@code log}. */
    public static Process startDaemon(Command command, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command.argv())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().putAll(command.env());
        try {
            Files.writeString(log, "# " + command + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = pb.start();
            LOG.log(Level.DEBUG, "started pid {0}: {1} (log {2})", p.pid(), command, log);
            ShutdownCleanup.Handle h = ShutdownCleanup.register("kill pid " + p.pid() + " (" + command.programName() + ")",
                    () -> killTree(p, Duration.ofSeconds(2)));
            p.onExit().thenRun(h::done);
            return p;
        } catch (IOException e) {
            throw new PeerException("cannot start `" + command + "` (log " + log + "): " + e.getMessage(), e);
        }
    }

    /**
     * Polls {@code condition} every 25 ms until it holds; throws after {@code timeout} with
     * {@code what} and the diagnostics {@code context} supplies (e.g. a log tail).
     */
    public static void waitUntil(String what, Duration timeout, BooleanSupplier condition, Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new PeerException("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; " + context.get());
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Waits up to {@code timeout} for {@code p} to exit (and be reaped); true when it did. */
    public static boolean waitForExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while waiting for pid " + p.pid() + " to exit", e);
        }
    }

    /** SIGTERM, then SIGKILL for {@code p} and its children if it has not exited within {@code grace}. */
    public static void terminate(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!waitForExit(p, grace)) {
            LOG.log(Level.WARNING, "pid {0} ignored SIGTERM for {1} ms; sending SIGKILL", p.pid(), grace.toMillis());
            killTree(p, Duration.ofSeconds(5));
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL for {@code p} and its children; waits up to {@code timeout}, throws if it is still there. */
    public static void killTree(Process p, Duration timeout) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        if (!waitForExit(p, timeout)) {
            throw new PeerException("pid " + p.pid() + " still alive " + timeout.toMillis() + " ms after SIGKILL");
        }
    }

    /** The last {@code lines} lines of a log file, or a note why there are none. */
    public static String tail(Path file, int lines) {
        try {
            return CommandResult.tail(Files.readString(file, StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted", e);
        }
    }
}

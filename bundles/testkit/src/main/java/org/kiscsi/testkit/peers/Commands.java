package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Command} to its end, bounded by its timeout. Output goes to temporary files (no
 * pipe can fill up and block the program) and is read after the exit. On timeout the program and
 * its children are killed with SIGKILL (several peers ignore SIGTERM: tgtd, iscsi-perf).
 */
public final class Commands {
    private static final System.Logger LOG = System.getLogger(Commands.class.getName());
    /** How long a SIGKILLed program may take to be reaped. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private Commands() {
    }

    /** Runs {@code command} and returns how it ended, whatever the exit code. Throws on timeout. */
    public static CommandResult run(Command command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kiscsi-cmd-", ".out");
            err = Files.createTempFile("kiscsi-cmd-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command.argv())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(command.env());
            LOG.log(Level.DEBUG, "run: {0}", command);
            long start = System.nanoTime();
            Process p = pb.start();
            boolean exited = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                Processes.killTree(p, KILL_WAIT);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            CommandResult r = new CommandResult(command.toString(), exited ? p.exitValue() : -1,
                    command.redact(read(out)), command.redact(read(err)), elapsed);
            if (!exited) {
                throw new PeerException("timed out after " + command.timeout().toMillis() + " ms (killed): `" + command
                        + "`; output so far:\n" + r.outputTail());
            }
            LOG.log(Level.DEBUG, "exit {0} after {1} ms: {2}", r.exitCode(), elapsed.toMillis(), command.programName());
            return r;
        } catch (IOException e) {
            throw new PeerException("cannot run `" + command + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while running `" + command + "`", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs {@code command}; throws with command, exit code and output tail unless it exits 0. */
    public static CommandResult check(Command command) {
        return run(command).requireSuccess(command.programName() + " failed");
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
            }
        }
    }
}

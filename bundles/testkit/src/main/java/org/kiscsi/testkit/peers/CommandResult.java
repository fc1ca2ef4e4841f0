package org.kiscsi.testkit.peers;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How a {@link Command} ended. {@code command}, {@code stdout} and {@code stderr} are already
 * redacted (no secrets).
 */
public record CommandResult(String command, int exitCode, String stdout, String stderr, Duration elapsed) {
    private static final int TAIL_LINES = 25;

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stdout followed by stderr. */
    public String output() {
        if (stderr.isEmpty()) {
            return stdout;
        }
        if (stdout.isEmpty()) {
            return stderr;
        }
        return stdout + (stdout.endsWith("\n") ? "" : "\n") + stderr;
    }

    /** The last lines of {@link #output()}, for failure messages. */
    public String outputTail() {
        return tail(output(), TAIL_LINES);
    }

    /** A {@link PeerException} saying {@code what} failed, with command, exit code and output tail. */
    public PeerException failure(String what) {
        return new PeerException(what + ": exit code " + exitCode + " from `" + command + "`; output:\n" + outputTail());
    }

    /** Throws {@link #failure} unless the exit code was 0. */
    public CommandResult requireSuccess(String what) {
        if (!succeeded()) {
            throw failure(what);
        }
        return this;
    }

    static String tail(String text, int lines) {
        List<String> all = Arrays.asList(text.split("\r?\n|\r"));
        int from = Math.max(0, all.size() - lines);
        return (from > 0 ? "[... " + from + " lines]\n" : "") + String.join("\n", all.subList(from, all.size()));
    }
}

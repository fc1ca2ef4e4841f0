package org.kiscsi.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * tgtadm bound to one tgtd's control socket ({@code TGT_IPC_SOCKET=<dir>/ctl} and {@code -C N}
 * select {@code <dir>/ctl.N}). Every call is bounded; a failing call throws with the command,
 * exit code, tgtadm's output and the path of tgtd's log.
 */
public final class Tgtadm {
    /** tgtadm answers in milliseconds; a hung tgtd (see peers.md on iSNS) must not hang the test. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Path socketBase;
    private final int controlIndex;
    private final Path tgtdLog;

    Tgtadm(Path socketBase, int controlIndex, Path tgtdLog) {
        this.socketBase = socketBase;
        this.controlIndex = controlIndex;
        this.tgtdLog = tgtdLog;
    }

    /** The unix socket tgtd listens on for tgtadm. */
    public Path socket() {
        return Path.of(socketBase + "." + controlIndex);
    }

    public int controlIndex() {
        return controlIndex;
    }

    /** Runs {@code tgtadm --lld iscsi <args>}; throws unless it exits 0. */
    public String run(String... args) {
        return check(command(List.of(args)));
    }

    /** As {@link #run}, masking {@code secret} (an account password among the arguments). */
    public String runWithSecret(String secret, String... args) {
        return check(command(List.of(args)).redacting(secret));
    }

    /** Runs {@code tgtadm --lld iscsi <args>} and returns how it ended, whatever the exit code. */
    public CommandResult attempt(String... args) {
        return Commands.run(command(List.of(args)));
    }

    private String check(Command c) {
        CommandResult r = Commands.run(c);
        if (!r.succeeded()) {
            throw new PeerException("tgtadm failed: exit code " + r.exitCode() + " from `" + r.command() + "`; output: "
                    + r.outputTail().strip() + "; tgtd log: " + tgtdLog);
        }
        return r.stdout();
    }

    private Command command(List<String> args) {
        List<String> a = new ArrayList<>(List.of("-C", Integer.toString(controlIndex), "--lld", "iscsi"));
        a.addAll(args);
        return Command.of(Tool.TGTADM.path(), a).withEnv("TGT_IPC_SOCKET", socketBase.toString()).withTimeout(TIMEOUT);
    }
}

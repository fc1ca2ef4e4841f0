package org.kiscsi.shell.commands;

import org.apache.karaf.shell.support.CommandException;

/**
 * An {@code iscsi:lun-*} command that ended as its bin/kiscsi-* tool ends with a non-zero exit code:
 * Karaf shows it as a failed command, its message being the tool's standard error line and the exit code.
 */
public final class LunToolFailure extends CommandException {
    private final String stderr;
    private final int exitCode;

    LunToolFailure(String stderr, int exitCode) {
        super((stderr.isEmpty() ? "" : stderr.stripTrailing() + "\n") + "exit code " + exitCode);
        this.stderr = stderr;
        this.exitCode = exitCode;
    }

    /** What the tool prints on standard error for the same failure (beyond what the command printed already). */
    public String stderr() {
        return stderr;
    }

    /** The tool's exit code for the same failure: 1 usage, else open-iscsi's ISCSI_ERR_* codes. */
    public int exitCode() {
        return exitCode;
    }
}

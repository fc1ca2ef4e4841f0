package org.kiscsi.shell.commands;

import org.apache.karaf.shell.support.CommandException;
import org.kiscsi.mgmt.text.Printed;
import org.kiscsi.mgmt.text.Words;

/**
 * A command that ended as bin/iscsiadm ends with a non-zero exit code: Karaf shows it as a failed
 * command, its message being iscsiadm's standard error lines and then the exit code and its meaning.
 */
public final class IscsiadmFailure extends CommandException {
    private final String stderr;
    private final int exitCode;

    IscsiadmFailure(Printed printed) {
        super(message(printed));
        this.stderr = printed.stderr();
        this.exitCode = printed.exitCode();
    }

    private static String message(Printed p) {
        String err = p.stderr().stripTrailing();
        return (err.isEmpty() ? "" : err + "\n") + "iscsiadm exit code " + p.exitCode() + ": " + Words.errText(p.exitCode());
    }

    /** What bin/iscsiadm prints on standard error for the same failure. */
    public String stderr() {
        return stderr;
    }

    /** bin/iscsiadm's exit code for the same failure (open-iscsi's ISCSI_ERR_*). */
    public int exitCode() {
        return exitCode;
    }
}

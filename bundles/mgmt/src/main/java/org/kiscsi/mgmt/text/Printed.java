package org.kiscsi.mgmt.text;

import java.util.Objects;

import org.kiscsi.api.IscsiError;

/**
 * What one iscsiadm command prints: its standard output, its standard error and its exit code, kept
 * apart as open-iscsi keeps them (results on stdout, complaints on stderr).
 */
public record Printed(String stdout, String stderr, int exitCode) {
    public static final Printed NOTHING = new Printed("", "", 0);

    public Printed {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    public static Printed out(String stdout) {
        return new Printed(stdout, "", 0);
    }

    /** One {@code iscsiadm: message} line on stderr, exiting with {@code error}'s code. */
    public static Printed error(IscsiError error, String message) {
        return new Printed("", Words.errorLine(message), error.code());
    }

    /** Both printed one after the other; the exit code is the first non-zero one. */
    public Printed then(Printed next) {
        return new Printed(stdout + next.stdout, stderr + next.stderr, exitCode != 0 ? exitCode : next.exitCode);
    }

    /** The same text with another exit code. */
    public Printed withExitCode(int code) {
        return new Printed(stdout, stderr, code);
    }
}

package org.kiscsi.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that the JVM runs as the user and group bin/iscsid dropped to for {@code -u}/{@code -g}.
 * A JVM cannot change its own ids, so bin/iscsid does it (group first) before starting this one;
 * this check makes a drop that did not happen fatal instead of silently running as root.
 */
final class IdentityCheck {
    private IdentityCheck() {
    }

    /**
     * @param expectUid the numeric uid asked for, or null
     * @param expectGid the numeric gid asked for, or null
     * @throws IllegalStateException when the process runs with other ids
     */
    static void verify(String expectUid, String expectGid) {
        if (expectUid == null && expectGid == null) {
            return;
        }
        List<String> status;
        try {
            status = Files.readAllLines(Path.of("/proc/self/status"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot check the process's user and group (/proc/self/status): " + e);
        }
        check("uid", expectUid, ids(status, "Uid:"));
        check("gid", expectGid, ids(status, "Gid:"));
    }

    /** Real, effective, saved and filesystem ids, as /proc/self/status lists them. */
    static String[] ids(List<String> status, String field) {
        for (String line : status) {
            if (line.startsWith(field)) {
                return line.substring(field.length()).trim().split("\\s+");
            }
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " line");
    }

    static void check(String what, String expected, String[] actual) {
        if (expected == null || expected.isEmpty()) {
            return;
        }
        for (String id : actual) {
            if (!id.equals(expected.trim())) {
                throw new IllegalStateException("dropping to " + what + " " + expected + " did not happen (the process has "
                        + what + "s " + String.join(" ", actual) + "); not starting as another user");
            }
        }
    }
}

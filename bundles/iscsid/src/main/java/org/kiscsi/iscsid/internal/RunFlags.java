package org.kiscsi.iscsid.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * This run's flags as bin/iscsid's launcher hands them over (system properties named as in the
 * launcher's DaemonProperties): they apply to this run only and are never written into etc/. When
 * Karaf was started some other way (bin/karaf, Pax Exam) none is set and the daemon runs on its
 * configuration alone.
 */
public record RunFlags(boolean underLauncher, Optional<Path> config, Optional<Path> initiatorName, boolean foreground,
        int debug, Optional<String> pidFile) {
    static final String PREFIX = "kiscsi.iscsid.";

    public static RunFlags fromSystemProperties() {
        String pid = System.getProperty(PREFIX + "pidfile");
        int debug;
        try {
            debug = Integer.parseInt(System.getProperty(PREFIX + "debug", "0"));
        } catch (NumberFormatException e) {
            debug = 0;
        }
        return new RunFlags(Boolean.getBoolean(PREFIX + "launcher"), path(PREFIX + "config"), path(PREFIX + "initiatorname"),
                Boolean.getBoolean(PREFIX + "foreground"), debug, Optional.ofNullable(pid));
    }

    private static Optional<Path> path(String key) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
    }

    /** How the status shows the pid file. */
    public String pidFileText() {
        if (pidFile.isEmpty()) {
            return "none (not started by bin/iscsid)";
        }
        return pidFile.get().isEmpty() ? "none (-n)" : pidFile.get();
    }
}

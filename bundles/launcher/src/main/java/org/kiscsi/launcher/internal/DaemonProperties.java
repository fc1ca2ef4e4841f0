package org.kiscsi.launcher.internal;

/**
 * The system properties through which the launcher hands one run's flags to the daemon component,
 * and the daemon hands its exit status back. System properties, because the daemon bundle cannot
 * see the launcher's classes, and because flags must never be written into {@code etc/}.
 * The daemon bundle (org.kiscsi.iscsid) reads the same names.
 */
final class DaemonProperties {
    private DaemonProperties() {
    }

    static final String PREFIX = "kiscsi.iscsid.";
    /** "true" when the daemon runs under this launcher (so a fatal error may end the JVM). */
    static final String LAUNCHER = PREFIX + "launcher";
    static final String CONFIG = PREFIX + "config";
    static final String INITIATORNAME = PREFIX + "initiatorname";
    static final String FOREGROUND = PREFIX + "foreground";
    static final String DEBUG = PREFIX + "debug";
    /** The pid file's path, empty with {@code -n}. */
    static final String PID_FILE = PREFIX + "pidfile";
    static final String VERSION = PREFIX + "version";
    /** Set by bin/iscsid to the numeric ids it dropped to with -u/-g; checked before anything runs. */
    static final String EXPECT_UID = PREFIX + "expect.uid";
    static final String EXPECT_GID = PREFIX + "expect.gid";

    /** Set by the daemon when it ends the run: the exit status and why. */
    static final String EXIT_CODE = PREFIX + "exit.code";
    static final String EXIT_REASON = PREFIX + "exit.reason";

    /** Interpolated by etc/org.ops4j.pax.logging.cfg into the level of the org.kiscsi loggers. */
    static final String LOG_LEVEL = "kiscsi.log.level";
    /** Karaf's threshold for its console appender (stderr in kiscsi's logging config). */
    static final String KARAF_LOG_CONSOLE = "karaf.log.console";
}

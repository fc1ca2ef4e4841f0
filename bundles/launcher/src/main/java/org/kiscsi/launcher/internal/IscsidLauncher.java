package org.kiscsi.launcher.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.main.Main;

import org.kiscsi.mgmt.version.BuildVersion;

/**
 * The JVM side of {@code bin/iscsid}: what must happen before Karaf runs, then Karaf's {@link Main}
 * in this JVM. In order: parse the flags (usage and exit 1 on a bad one, before anything else),
 * check the ids bin/iscsid dropped to, lock the pid file (so the pid it records is this JVM's), lock
 * the installation's data directory (a second daemon on the same install refuses at once, even with
 * {@code -n} or another {@code -p}, instead of waiting on Karaf's instance lock), hand the run's
 * flags to the daemon as system properties, catch SIGTERM/SIGINT, run Karaf until it stops, remove
 * the pid file and exit with the daemon's status.
 */
public final class IscsidLauncher {
    /** Exit status of a run that could not start (iscsid's ISCSI_ERR). */
    static final int FAILED = 1;
    private static final long STOP_TIMEOUT_MILLIS = 120_000;

    private final PrintStream out;
    private final PrintStream err;
    private final List<ProcessLock> locks = new ArrayList<>();

    IscsidLauncher(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new IscsidLauncher(System.out, System.err).run(args));
    }

    int run(String[] args) {
        IscsidFlags flags;
        try {
            flags = IscsidFlags.parse(args);
        } catch (IscsidFlags.UsageException e) {
            err.println("iscsid: " + e.getMessage());
            err.print(IscsidFlags.usage());
            return FAILED;
        }
        switch (flags.action()) {
            case HELP:
                out.print(IscsidFlags.usage());
                return 0;
            case VERSION:
                out.println("iscsid version " + version());
                return 0;
            default:
                break;
        }
        try {
            IdentityCheck.verify(System.getProperty(DaemonProperties.EXPECT_UID), System.getProperty(DaemonProperties.EXPECT_GID));
            InstallPaths paths = InstallPaths.fromSystemProperties();
            lock(flags, paths);
            handOver(flags, paths);
        } catch (ProcessLock.HeldException | IOException | IllegalStateException e) {
            err.println("iscsid: " + e.getMessage());
            releaseLocks();
            return FAILED;
        }
        try {
            return runKaraf();
        } finally {
            releaseLocks();
        }
    }

    private void lock(IscsidFlags flags, InstallPaths paths) throws ProcessLock.HeldException, IOException {
        if (!flags.noPidFile()) {
            locks.add(ProcessLock.acquire(flags.pidFile().map(InstallPaths::absolute).orElse(paths.defaultPidFile()),
                    "pid file"));
        }
        locks.add(ProcessLock.acquire(paths.dataLock(), "data directory lock of this installation"));
    }

    /** The run's flags as system properties: this run only, never written into etc/. */
    private void handOver(IscsidFlags flags, InstallPaths paths) {
        System.setProperty(DaemonProperties.LAUNCHER, "true");
        flags.config().ifPresent(c -> System.setProperty(DaemonProperties.CONFIG, InstallPaths.absolute(c).toString()));
        flags.initiatorName().ifPresent(i -> System.setProperty(DaemonProperties.INITIATORNAME, InstallPaths.absolute(i).toString()));
        System.setProperty(DaemonProperties.FOREGROUND, Boolean.toString(flags.foreground()));
        System.setProperty(DaemonProperties.DEBUG, Integer.toString(flags.debug()));
        System.setProperty(DaemonProperties.PID_FILE, flags.noPidFile() ? "" : locks.get(0).file().toString());
        System.setProperty(DaemonProperties.VERSION, version());
        System.setProperty(DaemonProperties.LOG_LEVEL, LogLevels.forDebug(flags.debug()));
        // the foreground logs to the terminal (stderr); the background only to data/log
        System.setProperty(DaemonProperties.KARAF_LOG_CONSOLE, flags.foreground() ? "ALL" : "OFF");
        // our handler stops the daemon before the framework; Karaf's would stop the framework only
        System.setProperty("karaf.handle.sigterm", "false");
        System.setProperty("karaf.restart.jvm.supported", "false");
        setIfAbsent("karaf.startLocalConsole", "false");
        setIfAbsent("karaf.startRemoteShell", "true");
        System.clearProperty(DaemonProperties.EXIT_CODE);
        System.clearProperty(DaemonProperties.EXIT_REASON);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Runs Karaf until it stops (restarting it in this JVM when asked to), then returns the exit status. */
    private int runKaraf() {
        OrderlyStop stop = new OrderlyStop(err, STOP_TIMEOUT_MILLIS, this::releaseLocks);
        stop.installSignalHandlers();
        while (true) {
            System.setProperty("karaf.restart", "false");
            System.setProperty("karaf.restart.jvm", "false");
            Main main = new Main(new String[0]);
            try {
                main.launch();
            } catch (Exception e) {
                err.println("iscsid: could not start Karaf: " + e);
                destroyQuietly(main);
                return FAILED;
            }
            stop.attach(main.getFramework());
            if (stop.requested()) {
                stop.stopNow("a signal during start-up");
            }
            try {
                main.awaitShutdown();
                if (!main.destroy()) {
                    err.println("iscsid: timed out waiting for the framework to stop");
                    return FAILED;
                }
            } catch (Exception e) {
                err.println("iscsid: error while stopping: " + e);
                return FAILED;
            }
            if (!Boolean.getBoolean("karaf.restart") || stop.requested()) {
                return exitStatus();
            }
        }
    }

    private static void destroyQuietly(Main main) {
        try {
            main.destroy();
        } catch (Exception ignored) {
            // already failing: the launch error is the one reported
        }
    }

    /** 0, or what the daemon asked for when it ended the run on a fatal error (reason printed). */
    private int exitStatus() {
        String code = System.getProperty(DaemonProperties.EXIT_CODE);
        if (code == null) {
            return 0;
        }
        String reason = System.getProperty(DaemonProperties.EXIT_REASON, "no reason given");
        err.println("iscsid: " + reason);
        try {
            int c = Integer.parseInt(code.trim());
            return c == 0 ? 0 : c & 0xff;
        } catch (NumberFormatException e) {
            return FAILED;
        }
    }

    private synchronized void releaseLocks() {
        for (int i = locks.size() - 1; i >= 0; i--) {
            try {
                locks.get(i).close();
            } catch (IOException e) {
                err.println("iscsid: could not remove " + locks.get(i).file() + ": " + e);
            }
        }
        locks.clear();
    }

    static String version() {
        return BuildVersion.get();
    }

    /** The directories of this installation, as bin/iscsid passes them (Karaf's own properties). */
    record InstallPaths(Path base, Path data) {
        static InstallPaths fromSystemProperties() {
            String base = System.getProperty("karaf.base", System.getProperty("karaf.home"));
            if (base == null) {
                throw new IllegalStateException("karaf.base is not set: start the daemon with bin/iscsid");
            }
            Path b = absolute(base);
            String data = System.getProperty("karaf.data");
            return new InstallPaths(b, data == null ? b.resolve("data") : absolute(data));
        }

        Path defaultPidFile() {
            return base.resolve("run").resolve("iscsid.pid");
        }

        Path dataLock() {
            return data.resolve("iscsid.lock");
        }

        /** A flag's path, relative ones against the directory iscsid was started in. */
        static Path absolute(String path) {
            return Path.of(path).toAbsolutePath().normalize();
        }
    }
}

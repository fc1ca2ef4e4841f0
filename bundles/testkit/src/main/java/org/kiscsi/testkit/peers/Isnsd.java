package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An open-isns iSNS server of a test's own on 127.0.0.1:&lt;free port&gt;, in-memory database,
 * its PID file and control socket in a private directory, no security, no SLP. Options:
 * {@link #withRegistrationPeriod} (isnsd's default is 3600 s) and {@link #withDefaultDiscoveryDomain}
 * (on: every node sees every other; off: only through discovery domains). Stop with
 * {@link #close()} (SIGTERM, which isnsd honours). {@link #kill()} + {@link #restart()} simulate a
 * crash: the stale PID file, which would make isnsd refuse to start, is removed first.
 */
public final class Isnsd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final int START_ATTEMPTS = 3;

    private final String sourceName;
    private final Duration registrationPeriod;
    private final boolean defaultDiscoveryDomain;
    private ScratchDir dir;
    private int port;
    private Path log;
    private Process process;
    private boolean closed;

    private Isnsd(String sourceName, Duration registrationPeriod, boolean defaultDiscoveryDomain) {
        this.sourceName = sourceName;
        this.registrationPeriod = registrationPeriod;
        this.defaultDiscoveryDomain = defaultDiscoveryDomain;
    }

    /** A not yet started isnsd: registration period 60 s, default discovery domain on. */
    public static Isnsd configure() {
        return new Isnsd("iqn.2026-11.org.kiscsi.test:isnsd", Duration.ofSeconds(60), true);
    }

    public Isnsd withSourceName(String iqn) {
        requireNotStarted();
        return new Isnsd(iqn, registrationPeriod, defaultDiscoveryDomain);
    }

    public Isnsd withRegistrationPeriod(Duration period) {
        requireNotStarted();
        return new Isnsd(sourceName, period, defaultDiscoveryDomain);
    }

    public Isnsd withDefaultDiscoveryDomain(boolean on) {
        requireNotStarted();
        return new Isnsd(sourceName, registrationPeriod, on);
    }

    /** Writes the configs and starts isnsd; returns once it listens. */
    public synchronized Isnsd start() {
        requireNotStarted();
        Tool.require(Tool.ISNSD, Tool.ISNSADM);
        PeerException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            dir = ScratchDir.create("kiscsi-isnsd-");
            port = FreePorts.pick(Loopback.IPV4);
            log = PeerLogs.newLogFile("isnsd-" + port);
            try {
                writeConfigs();
                launch();
                return this;
            } catch (PeerException e) {
                last = e; // most likely the port was taken meanwhile: isnsd exits
                if (process != null) {
                    Processes.killTree(process, Duration.ofSeconds(5));
                }
                dir.close();
                dir = null;
                process = null;
            }
        }
        throw last;
    }

    private void launch() {
        Process p = Processes.startDaemon(Command.of(Tool.ISNSD, "--config", config().toString(), "--foreground"), log);
        process = p;
        Processes.waitUntil("isnsd (pid " + p.pid() + ") to listen on 127.0.0.1:" + port, START_TIMEOUT, () -> {
            if (!p.isAlive()) {
                throw new PeerException("isnsd on 127.0.0.1:" + port + " exited with code " + p.exitValue() + "; log " + log + ":\n"
                        + Processes.tail(log, 20));
            }
            return Files.exists(pidFile()) && ListeningSockets.listens(p.pid(), port);
        }, () -> "log " + log + ":\n" + Processes.tail(log, 20));
    }

    private void writeConfigs() {
        String server = String.join("\n",
                "BindAddress = 127.0.0.1:" + port,
                "PIDFile = " + pidFile(),
                "ControlSocket = " + controlSocket(),
                "SourceName = " + sourceName,
                "Security = 0",
                "SLPRegister = 0",
                "RegistrationPeriod = " + registrationPeriod.toSeconds(),
                "DefaultDiscoveryDomain = " + (defaultDiscoveryDomain ? 1 : 0), "");
        String client = String.join("\n",
                "ServerAddress = 127.0.0.1:" + port,
                "ControlSocket = " + controlSocket(),
                "SourceName = " + sourceName.replace(":isnsd", ":isnsadm"),
                "Security = 0", "");
        try {
            Files.writeString(config(), server);
            Files.writeString(dir.resolve("isnsadm.conf"), client);
        } catch (IOException e) {
            throw new PeerException("cannot write isnsd configs in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** isnsadm bound to this server. */
    public Isnsadm admin() {
        requireStarted();
        return new Isnsadm(dir.resolve("isnsadm.conf"));
    }

    /** SIGKILL, as a crash: the PID file stays behind. */
    public synchronized void kill() {
        requireStarted();
        Processes.killTree(process, Duration.ofSeconds(5));
    }

    /** Starts isnsd again on the same port and directory (empty database); removes a stale PID file first. */
    public synchronized void restart() {
        requireStarted();
        if (process.isAlive()) {
            kill();
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new PeerException("cannot remove the stale isnsd PID file " + pidFile() + ": " + e.getMessage(), e);
        }
        launch();
    }

    public int port() {
        requireStarted();
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public long pid() {
        requireStarted();
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Path logFile() {
        return log;
    }

    public Path pidFile() {
        return dir.resolve("isnsd.pid");
    }

    public Path controlSocket() {
        return dir.resolve("control");
    }

    public Path config() {
        return dir.resolve("isnsd.conf");
    }

    /** The private directory (configs, PID file, control socket); gone after {@link #close()}. */
    public Path directory() {
        return dir.path();
    }

    /** SIGTERM (SIGKILL after 3 s), then deletes configs, PID file and control socket. */
    @Override
    public synchronized void close() {
        if (closed || process == null) {
            return;
        }
        closed = true;
        Processes.terminate(process, STOP_GRACE);
        dir.close();
    }

    private void requireNotStarted() {
        if (process != null) {
            throw new IllegalStateException("isnsd already started on 127.0.0.1:" + port);
        }
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("isnsd not started");
        }
    }

    @Override
    public String toString() {
        return process == null ? "isnsd (not started)" : "isnsd pid " + process.pid() + " on 127.0.0.1:" + port + " (log " + log + ")";
    }
}

package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.kiscsi.api.Portal;

/**
 * One tgtd (Linux SCSI target framework) of a test's own: it listens only on a free loopback
 * port of the family the caller picks and takes tgtadm requests on a control socket in a private
 * directory, so several run at once and beside a system tgtd on 3260. Output goes to
 * {@link #logFile()}, which every failure names.
 * <p>
 * {@link #close()} stops it the way tgt.service does and tgtd honours (tgtd ignores SIGTERM):
 * system state offline, each target offline and force-deleted (drops live sessions), then
 * {@code tgtadm --op delete --mode system}, on which tgtd exits at once. SIGKILL only if it has not
 * exited within {@value #EXIT_WAIT_MILLIS} ms. Then the control socket, lock and LUN files go.
 */
public final class Tgtd implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Tgtd.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final long EXIT_WAIT_MILLIS = 3000;
    private static final int START_ATTEMPTS = 3;
    private static final String BIND_FAILED = "failed to create/bind to portal";
    private static final Path SHM = Path.of("/dev/shm");
    /** tgtadm -C index; with a private TGT_IPC_SOCKET any index would do, distinct ones make logs clearer. */
    private static final AtomicInteger CONTROL_INDEX = new AtomicInteger();

    private final Loopback loopback;
    private final int port;
    private final Process process;
    private final ScratchDir runDir;
    private final ScratchDir lunDir;
    private final Path log;
    private final Tgtadm tgtadm;
    private final Map<Integer, TgtTarget> targets = new LinkedHashMap<>();
    private final Map<String, TgtLun> luns = new LinkedHashMap<>();
    private final Set<String> accounts = new HashSet<>();
    private boolean closed;
    private boolean stoppedGracefully;
    private boolean killed;

    private Tgtd(Loopback loopback, int port, Process process, ScratchDir runDir, ScratchDir lunDir, Path log, Tgtadm tgtadm) {
        this.loopback = loopback;
        this.port = port;
        this.process = process;
        this.runDir = runDir;
        this.lunDir = lunDir;
        this.log = log;
        this.tgtadm = tgtadm;
    }

    /** Starts a tgtd on a free port of {@code loopback}, LUN files in /dev/shm (else java.io.tmpdir). */
    public static Tgtd start(Loopback loopback) {
        Path parent = Files.isDirectory(SHM) && Files.isWritable(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
        return start(loopback, parent);
    }

    /** Starts a tgtd on a free port of {@code loopback}, LUN files in a new directory under {@code lunParent}. */
    public static Tgtd start(Loopback loopback, Path lunParent) {
        return start(loopback, 0, lunParent);
    }

    /**
     * Starts a tgtd on {@code port} of {@code loopback} (a free one when 0), LUN files in a new
     * directory under {@code lunParent}. A given port is tried once: as after {@link #kill()}, to
     * bring a target back where initiators look for it (a LUN file kept in a directory of the
     * caller's, {@link LunBacking#inDirectory}, is taken over with its data).
     */
    public static Tgtd start(Loopback loopback, int port, Path lunParent) {
        Tool.require(Tool.TGTD, Tool.TGTADM);
        PeerException portTaken = null;
        for (int attempt = 1; attempt <= (port == 0 ? START_ATTEMPTS : 1); attempt++) {
            int listenPort = port == 0 ? FreePorts.pick(loopback) : port;
            ScratchDir runDir = ScratchDir.create("kiscsi-tgtd-");
            ScratchDir lunDir = null;
            Process p = null;
            try {
                lunDir = ScratchDir.createIn(lunParent, "kiscsi-tgtd-luns-");
                int index = CONTROL_INDEX.incrementAndGet();
                Path log = PeerLogs.newLogFile("tgtd-" + listenPort);
                Path socketBase = runDir.resolve("ctl");
                Tgtadm adm = new Tgtadm(socketBase, index, log);
                p = Processes.startDaemon(Command.of(Tool.TGTD, "-f", "-C", Integer.toString(index), "--iscsi",
                        "portal=" + loopback.hostPort(listenPort)).withEnv("TGT_IPC_SOCKET", socketBase.toString()), log);
                awaitReady(p, loopback, listenPort, adm, log);
                return new Tgtd(loopback, listenPort, p, runDir, lunDir, log, adm);
            } catch (PortTakenException e) {
                portTaken = e;
                LOG.log(Level.WARNING, "{0}; retrying on another port", e.getMessage());
                abandon(p, runDir, lunDir);
            } catch (RuntimeException e) {
                abandon(p, runDir, lunDir);
                throw e;
            }
        }
        throw portTaken;
    }

    private static void awaitReady(Process p, Loopback loopback, int port, Tgtadm adm, Path log) {
        String where = loopback.hostPort(port);
        Processes.waitUntil("tgtd (pid " + p.pid() + ") to listen on " + where, START_TIMEOUT, () -> {
            if (!p.isAlive()) {
                throw new PeerException("tgtd for " + where + " exited with code " + p.exitValue() + "; log " + log + ":\n" + Processes.tail(log, 20));
            }
            if (Processes.tail(log, 50).contains(BIND_FAILED)) {
                throw new PortTakenException("tgtd could not bind " + where + " (port taken meanwhile); log " + log);
            }
            return Files.exists(adm.socket()) && ListeningSockets.listens(p.pid(), port);
        }, () -> "log " + log + ":\n" + Processes.tail(log, 20));
        String sys = adm.run("--op", "show", "--mode", "sys");
        if (!sys.contains("State: ready")) {
            throw new PeerException("tgtd on " + where + " is not ready: " + sys.lines().limit(3).toList() + "; log " + log);
        }
    }

    private static void abandon(Process p, ScratchDir runDir, ScratchDir lunDir) {
        if (p != null) {
            Processes.killTree(p, Duration.ofSeconds(5));
        }
        runDir.close();
        if (lunDir != null) {
            lunDir.close();
        }
    }

    /** Creates target {@code iqn} with the next free tid. */
    public synchronized TgtTarget createTarget(String iqn) {
        int tid = targets.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        return createTarget(tid, iqn);
    }

    public synchronized TgtTarget createTarget(int tid, String iqn) {
        requireRunning();
        tgtadm.run("--op", "new", "--mode", "target", "--tid", Integer.toString(tid), "--targetname", iqn);
        TgtTarget t = new TgtTarget(this, tid, iqn);
        targets.put(tid, t);
        return t;
    }

    public synchronized Optional<TgtTarget> target(int tid) {
        return Optional.ofNullable(targets.get(tid));
    }

    public synchronized List<TgtTarget> targets() {
        return List.copyOf(targets.values());
    }

    /** Creates a CHAP account (accounts are global to a tgtd; bind them per target). */
    public synchronized void createAccount(ChapCredentials account) {
        tgtadm.runWithSecret(account.secret(), "--op", "new", "--mode", "account", "--user", account.user(), "--password", account.secret());
        accounts.add(account.user());
    }

    public synchronized void deleteAccount(String user) {
        tgtadm.run("--op", "delete", "--mode", "account", "--user", user);
        accounts.remove(user);
    }

    synchronized void ensureAccount(ChapCredentials account) {
        if (!accounts.contains(account.user())) {
            createAccount(account);
        }
    }

    /** All targets as {@code tgtadm --op show --mode target} reports them. */
    public List<TgtShow.Target> show() {
        return TgtShow.parseTargets(tgtadm.run("--op", "show", "--mode", "target"));
    }

    /** The portals tgtd listens on, with their portal group tags ({@code --op show --mode portal}). */
    public List<TgtShow.PortalGroup> portals() {
        return TgtShow.parsePortals(tgtadm.run("--op", "show", "--mode", "portal"));
    }

    synchronized TgtLun addLun(TgtTarget target, int lun, LunBacking backing) {
        requireRunning();
        if (lun < 1) {
            throw new IllegalArgumentException("LUN 0 is tgtd's controller; use 1.. (target " + target.iqn() + ")");
        }
        Optional<Path> file = Optional.empty();
        String path = "/dev/null/kiscsi-t" + target.tid() + "-lun" + lun; // a label for the null store
        if (!backing.isNull()) {
            Path f = backing.directory().orElse(lunDir.path()).resolve("t" + target.tid() + "-lun" + lun + ".img");
            createSparse(f, backing.sizeBytes(), target, lun);
            file = Optional.of(f);
            path = f.toString();
        }
        List<String> args = new ArrayList<>(List.of("--op", "new", "--mode", "logicalunit", "--tid", Integer.toString(target.tid()),
                "--lun", Integer.toString(lun), "--bstype", backing.isNull() ? "null" : "rdwr", "--backing-store", path));
        backing.blockSize().ifPresent(b -> args.addAll(List.of("--blocksize", Integer.toString(b))));
        try {
            tgtadm.run(args.toArray(String[]::new));
            if (backing.thin()) {
                // tgtadm 1.0.85 refuses --params on --op new; an update right after works
                tgtadm.run("--op", "update", "--mode", "logicalunit", "--tid", Integer.toString(target.tid()), "--lun",
                        Integer.toString(lun), "--params", "thin_provisioning=1");
            }
        } catch (RuntimeException e) {
            file.ifPresent(Tgtd::deleteFile);
            throw e;
        }
        TgtLun l = new TgtLun(target.tid(), target.iqn(), lun, backing, file);
        luns.put(target.tid() + "/" + lun, l);
        return l;
    }

    synchronized void deleteLun(TgtTarget target, int lun) {
        tgtadm.run("--op", "delete", "--mode", "logicalunit", "--tid", Integer.toString(target.tid()), "--lun", Integer.toString(lun));
        TgtLun l = luns.remove(target.tid() + "/" + lun);
        if (l != null) {
            l.file().ifPresent(Tgtd::deleteFile);
        }
    }

    synchronized Optional<TgtLun> lun(int tid, int lun) {
        return Optional.ofNullable(luns.get(tid + "/" + lun));
    }

    synchronized void deleteTarget(TgtTarget target) {
        String tid = Integer.toString(target.tid());
        tgtadm.run("--op", "update", "--mode", "target", "--tid", tid, "--name", "state", "--value", "offline");
        tgtadm.run("--op", "delete", "--mode", "target", "--tid", tid, "--force");
        targets.remove(target.tid());
        luns.values().removeIf(l -> {
            if (l.tid() == target.tid()) {
                l.file().ifPresent(Tgtd::deleteFile);
                return true;
            }
            return false;
        });
    }

    public Loopback loopback() {
        return loopback;
    }

    /** The address literal tgtd listens on: 127.0.0.1 or ::1. */
    public String host() {
        return loopback.address();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The portal tgtd announces (its only portal group has tag 1). */
    public Portal portal() {
        return Portal.of(host(), port, 1);
    }

    /** {@code iscsi://127.0.0.1:port} or {@code iscsi://[::1]:port}. */
    public IscsiUrl portalUrl() {
        return IscsiUrl.portal(host(), port);
    }

    public Path logFile() {
        return log;
    }

    public Tgtadm tgtadm() {
        return tgtadm;
    }

    /** The private directory holding the control socket and its lock. */
    public Path runDirectory() {
        return runDir.path();
    }

    /** Where file LUNs go unless their {@link LunBacking} names a directory. */
    public Path lunDirectory() {
        return lunDir.path();
    }

    /**
     * Kills tgtd with SIGKILL, as a crash would, and waits (a few seconds at most) until it is gone;
     * it stays down. Its sessions' connections see the kernel close them. {@link #close()} afterwards
     * only removes its files and does not count the kill as an early death.
     */
    public synchronized void kill() {
        killed = true;
        Processes.killTree(process, Duration.ofSeconds(5));
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** After {@link #close()}: true when tgtd exited on {@code --op delete --mode system}, false when it needed SIGKILL. */
    public synchronized boolean stoppedGracefully() {
        return stoppedGracefully;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean diedEarly = !process.isAlive();
        List<String> problems = new ArrayList<>();
        if (!diedEarly) {
            stoppedGracefully = shutDown(problems);
            if (!stoppedGracefully) {
                LOG.log(Level.WARNING, "tgtd pid {0} did not exit on delete system ({1}); SIGKILL", pid(), problems);
                Processes.killTree(process, Duration.ofSeconds(5));
            }
        }
        PeerException cleanup = null;
        for (Runnable r : List.<Runnable>of(runDir::close, () -> luns.values().forEach(l -> l.file().ifPresent(Tgtd::deleteFile)), lunDir::close)) {
            try {
                r.run();
            } catch (PeerException e) {
                cleanup = cleanup == null ? e : cleanup;
            }
        }
        LOG.log(Level.DEBUG, "tgtd on {0} stopped ({1}); log {2}", loopback.hostPort(port),
                killed ? "killed" : diedEarly ? "had died" : stoppedGracefully ? "delete system" : "SIGKILL", log);
        if (diedEarly && !killed) {
            throw new PeerException("tgtd on " + loopback.hostPort(port) + " died before stop with exit code " + process.exitValue()
                    + "; log " + log + ":\n" + Processes.tail(log, 20));
        }
        if (cleanup != null) {
            throw cleanup;
        }
    }

    private boolean shutDown(List<String> problems) {
        try {
            note(problems, tgtadm.attempt("--op", "update", "--mode", "sys", "--name", "State", "--value", "offline"));
            List<Integer> tids = new ArrayList<>(targets.keySet());
            try {
                tids = show().stream().map(TgtShow.Target::tid).toList(); // also targets made with raw tgtadm
            } catch (PeerException e) {
                problems.add(e.getMessage());
            }
            for (int tid : tids) {
                String t = Integer.toString(tid);
                note(problems, tgtadm.attempt("--op", "update", "--mode", "target", "--tid", t, "--name", "state", "--value", "offline"));
                note(problems, tgtadm.attempt("--op", "delete", "--mode", "target", "--tid", t, "--force"));
            }
            note(problems, tgtadm.attempt("--op", "delete", "--mode", "system"));
        } catch (PeerException e) {
            problems.add(e.getMessage()); // a hung tgtadm: fall through to SIGKILL
        }
        return Processes.waitForExit(process, Duration.ofMillis(EXIT_WAIT_MILLIS));
    }

    private static void note(List<String> problems, CommandResult r) {
        if (!r.succeeded()) {
            problems.add("`" + r.command() + "` exit " + r.exitCode() + ": " + r.output().strip());
        }
    }

    private static void createSparse(Path f, long size, TgtTarget target, int lun) {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
        } catch (IOException e) {
            throw new PeerException("cannot create the " + size + "-byte backing file " + f + " for LUN " + lun + " of " + target.iqn()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void deleteFile(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new PeerException("cannot delete LUN file " + f + ": " + e.getMessage(), e);
        }
    }

    private void requireRunning() {
        if (closed || !process.isAlive()) {
            throw new PeerException("tgtd on " + loopback.hostPort(port) + " is not running" + (closed ? " (closed)" : "") + "; log " + log
                    + ":\n" + Processes.tail(log, 20));
        }
    }

    @Override
    public String toString() {
        return "tgtd pid " + pid() + " on " + loopback.hostPort(port) + " (log " + log + ")";
    }

    /** tgtd kept running but could not bind its portal: someone took the port after we picked it. */
    private static final class PortTakenException extends PeerException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }
}

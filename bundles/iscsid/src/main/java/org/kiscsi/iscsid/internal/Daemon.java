package org.kiscsi.iscsid.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.iscsid.internal.conf.ConfMessage;
import org.kiscsi.iscsid.internal.conf.IscsidConf;
import org.kiscsi.iscsid.internal.conf.IscsidConfException;
import org.kiscsi.iscsid.internal.conf.IscsidConfParser;
import org.kiscsi.iscsid.internal.discovery.DiscoveryDaemon;
import org.kiscsi.iscsid.internal.identity.HostName;
import org.kiscsi.iscsid.internal.identity.InitiatorIdentity;
import org.kiscsi.iscsid.internal.identity.InitiatorNameFile;
import org.kiscsi.iscsid.internal.mgmt.MgmtServer;
import org.kiscsi.iscsid.internal.mgmt.PeerCheck;
import org.kiscsi.iscsid.internal.mgmt.ServerLimits;
import org.kiscsi.iscsid.internal.sessions.ResyncList;
import org.kiscsi.iscsid.internal.sessions.SessionStartup;
import org.kiscsi.mgmt.ManagementEndpoint;
import org.kiscsi.spi.store.NodeStore;
import org.kiscsi.spi.store.NodeStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: iscsid's {@code main()} after what the launcher did (flags, pid file, ids). Starts in
 * iscsid's order — node store, management socket, identity, re-sync, auto-login, discovery daemon,
 * OOM score, timers, event loop — and stops in reverse. A step whose provider is not installed is
 * skipped with a debug line and done when the provider appears.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** A management request must arrive whole within this (ServerLimits). */

    enum State { NEW, STARTING, RUNNING, STOPPING, STOPPED }

    private final DaemonSettings settings;
    private final Providers providers;
    private final DaemonExit exit;
    private final Path procSelf;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final NodeStoreSlot store;
    private final ResyncList resync;
    private final DiscoveryDaemon discovery;
    private final org.kiscsi.iscsid.internal.manage.ManagementService management;
    private final java.util.function.Consumer<Providers.Change> onChange = this::providerChanged;
    private volatile State state = State.NEW;
    private volatile IscsidConf conf;
    private volatile InitiatorIdentity identity;
    /** Told the identity as soon as it is read: the component publishes it for the session engine. */
    private volatile java.util.function.Consumer<InitiatorIdentity> identityListener = id -> { };
    private volatile Instant startedAt = Instant.now();
    private MgmtServer server;
    private SessionManager listenedTo;
    private boolean sessionsStarted;

    public Daemon(DaemonSettings settings, Providers providers, DaemonExit exit, Path procSelf) {
        this.settings = settings;
        this.providers = providers;
        this.exit = exit;
        this.procSelf = procSelf;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, threads("iscsid-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
        this.workers = Executors.newFixedThreadPool(4, threads("iscsid-mgmt"));
        this.store = new NodeStoreSlot(settings.storeName(), settings.storeRoot(), providers);
        this.resync = new ResyncList(settings.resyncFile(), timers);
        this.discovery = new DiscoveryDaemon(new DiscoveryDaemon.Sources(store::store, providers::discovery,
                () -> identity().flatMap(InitiatorIdentity::name), providers::sessions,
                () -> conf == null ? org.kiscsi.api.node.RecordValues.empty() : conf.nodeDefaults(),
                () -> java.util.Optional.of(discoverydSessions())),
                timers, Clock.systemUTC(), settings.discoveryTimeout());
        this.management = new org.kiscsi.iscsid.internal.manage.ManagementService(new org.kiscsi.iscsid.internal.manage.ManageContext(
                store::store, providers::sessions, providers::luns, providers::discovery, providers::transportNames,
                () -> conf == null ? org.kiscsi.api.node.RecordValues.empty() : conf.nodeDefaults(),
                type -> conf == null ? org.kiscsi.api.node.RecordValues.empty() : conf.discoveryDefaults(type),
                () -> identity().flatMap(InitiatorIdentity::name).map(Object::toString).orElse(""),
                () -> new org.kiscsi.api.manage.DaemonStatus(new DaemonRequests(this).statusRow()),
                settings.storeRoot(), workers));
    }

    /**
     * The daemon's management service (every iscsiadm operation, typed): what the management socket
     * and the Karaf shell act through. Its calls need the daemon running (they run on its workers).
     */
    public org.kiscsi.api.manage.IscsiManagement management() {
        return management;
    }

    /** discoveryd's logins and logouts: the management service's, for the node records of one target portal. */
    private DiscoveryDaemon.PortalSessions discoverydSessions() {
        return new DiscoveryDaemon.PortalSessions() {
            @Override
            public java.util.concurrent.CompletionStage<? extends java.util.List<? extends org.kiscsi.api.manage.Outcome<?>>> login(
                    org.kiscsi.api.IscsiName target, org.kiscsi.api.Portal portal) {
                return management.login(selector(target, portal), true);
            }

            @Override
            public java.util.concurrent.CompletionStage<? extends java.util.List<? extends org.kiscsi.api.manage.Outcome<?>>> logout(
                    org.kiscsi.api.IscsiName target, org.kiscsi.api.Portal portal) {
                return management.logout(selector(target, portal));
            }

            private org.kiscsi.api.manage.NodeSelector selector(org.kiscsi.api.IscsiName target, org.kiscsi.api.Portal portal) {
                return new org.kiscsi.api.manage.NodeSelector(java.util.Optional.of(target), java.util.Optional.of(portal),
                        java.util.List.of());
            }
        };
    }

    /** Who hears the identity once it is read (before re-sync and auto-login need it). */
    public void onIdentity(java.util.function.Consumer<InitiatorIdentity> listener) {
        this.identityListener = listener;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs the start-up steps; on failure undoes what was done and throws. */
    public synchronized void start() throws DaemonStartException {
        state = State.STARTING;
        startedAt = Instant.now();
        RunFlags f = settings.flags();
        LOG.info("iscsid {} starting: config {}, initiator name file {}, pid file {}", settings.version(),
                settings.configFile(), settings.initiatorNameFile(), f.pidFileText());
        LOG.debug("logging: org.kiscsi at debug level {}{}", f.debug(), f.foreground() ? ", foreground (stderr)" : "");
        LOG.debug("signals: {}", f.underLauncher() ? "SIGTERM and SIGINT stop the daemon in order (bin/iscsid)"
                : "Karaf's own handling (not started by bin/iscsid)");
        // from here on, providers that come or go are acted upon (after start-up, which holds the lock)
        providers.addListener(onChange);
        try {
            readConfig();
            store.openAtStartup();
            bindSocket();
            readIdentity();
            startSessions("start-up");
            if (providers.discoveryTypes().isEmpty()) {
                LOG.debug("discovery daemon: skipped, no discovery method installed");
            }
            HostLimits.lowerOomScore(procSelf);
            HostLimits.checkOpenFiles(procSelf);
            discovery.start();
            startEventLoop();
        } catch (DaemonStartException e) {
            stop();
            throw e;
        } catch (RuntimeException e) {
            stop();
            throw new DaemonStartException(IscsiError.INTERNAL, "start-up failed: " + e, e);
        }
        state = State.RUNNING;
        LOG.info("iscsid {} running (pid {}): {}, management socket {}", settings.version(), ProcessHandle.current().pid(),
                stateText(), settings.socket());
    }

    private void readConfig() throws DaemonStartException {
        try {
            conf = IscsidConfParser.parse(settings.configFile());
        } catch (IscsidConfException e) {
            e.errors().forEach(line -> LOG.error("{}", line));
            throw new DaemonStartException(IscsiError.INVAL, "iscsid.conf has errors: " + e.getMessage());
        }
        for (ConfMessage m : conf.messages()) {
            if (m.level() == ConfMessage.Level.WARNING) {
                LOG.warn("{}", m.text());
            } else {
                LOG.info("{}", m.text());
            }
        }
        LOG.debug("iscsid.conf: node record defaults {}", conf.nodeDefaults());
    }

    private void bindSocket() throws DaemonStartException {
        try {
            server = MgmtServer.bind(settings.socket(), PROBE_TIMEOUT);
        } catch (IOException e) {
            throw new DaemonStartException(IscsiError.ISCSID_COMM, e.getMessage(), e);
        }
    }

    private void readIdentity() {
        InitiatorIdentity id = InitiatorNameFile.read(settings.initiatorNameFile(), HostName::get);
        id.warnings().forEach(w -> LOG.warn("{}", w));
        identity = id;
        identityListener.accept(id);
        LOG.debug("InitiatorName={}", id.name().map(Object::toString).orElse("NOT SET"));
        LOG.debug("InitiatorAlias={}", id.alias());
    }

    private void startEventLoop() throws DaemonStartException {
        PeerCheck peers;
        try {
            peers = PeerCheck.rootAndOwnerOf(settings.socket());
        } catch (IOException e) {
            throw new DaemonStartException(IscsiError.ISCSID_COMM, "cannot tell who owns " + settings.socket() + ": " + e, e);
        }
        DaemonRequests own = new DaemonRequests(this);
        // every typed operation comes from the catalogue; the daemon's own two are added by name
        ManagementEndpoint endpoint = new ManagementEndpoint(management)
                .handle("version", 1, (r, progress) -> own.version())
                .handle("stop", 1, (r, progress) -> own.stop());
        try {
            server.start(endpoint, peers, workers, ServerLimits.defaults(settings.requestTimeout()));
        } catch (IOException e) {
            throw new DaemonStartException(IscsiError.ISCSID_COMM, "cannot start the management socket "
                    + settings.socket() + ": " + e.getMessage(), e);
        }
        LOG.debug("management socket {} open to {}", settings.socket(), peers.describe());
    }

    /** Re-sync and auto-login, once, when both the node store and the session engine are there. */
    private synchronized void startSessions(String when) {
        if (state != State.RUNNING && state != State.STARTING) {
            return;
        }
        Optional<SessionManager> engine = providers.sessions();
        if (engine.isEmpty()) {
            LOG.debug("re-sync and auto-login: skipped at {}, no session engine installed", when);
            return;
        }
        listenTo(engine.get());
        Optional<NodeStore> s = store.store();
        if (s.isEmpty()) {
            LOG.debug("re-sync and auto-login: skipped at {}, the node store is not open", when);
            return;
        }
        if (sessionsStarted) {
            return;
        }
        sessionsStarted = true;
        resync.load();
        SessionStartup.run(s.get(), engine.get(), resync);
    }

    private synchronized void listenTo(SessionManager engine) {
        if (listenedTo != engine) {
            if (listenedTo != null) {
                listenedTo.removeListener(resync);
            }
            engine.addListener(resync);
            listenedTo = engine;
        }
    }

    /** Providers come and go while the daemon runs: react on the timer thread, never on DS's. */
    private void providerChanged(Providers.Change c) {
        timers.execute(() -> {
            if (state != State.RUNNING && state != State.STARTING) {
                return;
            }
            switch (c.kind()) {
                case STORE:
                    if (c.added()) {
                        store.providerAdded((NodeStoreProvider) c.provider());
                        startSessions("node store arrival");
                    } else {
                        store.providerRemoved((NodeStoreProvider) c.provider());
                    }
                    break;
                case SESSIONS:
                    if (c.added()) {
                        LOG.info("session engine installed");
                        startSessions("session engine arrival");
                    } else {
                        forgetEngine((SessionManager) c.provider());
                    }
                    break;
                default:
                    LOG.info("discovery methods installed: {}", providers.discoveryTypes().isEmpty() ? "none"
                            : providers.discoveryTypes());
                    break;
            }
        });
    }

    /**
     * {@code node.store} changed in Config Admin: the slot swaps stores, sessions stay up. If
     * re-sync and auto-login never ran (no store was open until now), they run with the new store.
     */
    public void swapStore(String name) {
        if (state != State.RUNNING && state != State.STARTING) {
            return;
        }
        if (store.swapTo(name)) {
            startSessions("node store swap");
        }
    }

    private synchronized void forgetEngine(SessionManager engine) {
        if (listenedTo == engine) {
            listenedTo = null;
        }
        sessionsStarted = false; // its sessions are gone with it; the re-sync list still has them
        LOG.warn("session engine went away: no logins until it is back");
    }

    /** Asks the process to end, in order, exit status 0 (the stop request). */
    void requestStop() {
        LOG.info("iscsid: stop requested over the management socket");
        exit.stop();
    }

    /** Stops in reverse order: event loop and socket, timers, sessions (kept for re-sync), node store. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.STOPPING;
        providers.removeListener(onChange);
        if (server != null) {
            server.close();
        }
        discovery.stop();
        resync.freeze();
        logoutSessions();
        if (listenedTo != null) {
            listenedTo.removeListener(resync);
            listenedTo = null;
        }
        store.close();
        shutdown(workers);
        shutdown(timers);
        state = State.STOPPED;
        LOG.info("iscsid stopped");
    }

    /** iscsid leaves kernel sessions up; kiscsi's live in this JVM, so they are logged out politely. */
    private void logoutSessions() {
        Optional<SessionManager> engine = providers.sessions();
        if (engine.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> outs = new ArrayList<>();
        for (SessionInfo s : engine.get().sessions()) {
            if (s.type() == SessionType.NORMAL && s.state() != SessionState.CLOSED) {
                LOG.info("logging out of session {} ({}) at shutdown; it stays in the re-sync list", s.sid(), s.node());
                try {
                    outs.add(engine.get().logout(s.sid()).toCompletableFuture());
                } catch (RuntimeException e) {
                    LOG.warn("logout of session {} failed: {}", s.sid(), e.getMessage());
                }
            }
        }
        try {
            CompletableFuture.allOf(outs.toArray(new CompletableFuture<?>[0]))
                    .get(settings.shutdownLogoutTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("not every session logged out within {} s: {}", settings.shutdownLogoutTimeout().toSeconds(), e.toString());
        }
    }

    private static void shutdown(ExecutorService e) {
        e.shutdown();
        try {
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                e.shutdownNow();
            }
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    DaemonSettings settings() {
        return settings;
    }

    Providers providers() {
        return providers;
    }

    Instant startedAt() {
        return startedAt;
    }

    Optional<InitiatorIdentity> identity() {
        return Optional.ofNullable(identity);
    }

    /** The node store configured now (it may have been swapped since start-up). */
    String storeName() {
        return store.name();
    }

    String storeState() {
        return store.state();
    }

    boolean discoveryRunning() {
        return discovery.running() && !providers.discoveryTypes().isEmpty();
    }

    /** running, degraded (and why), starting, stopping, stopped. */
    String stateText() {
        State s = state;
        if (s == State.RUNNING || s == State.STARTING) {
            String base = s == State.RUNNING ? "running" : "starting";
            return store.isOpen() ? base : "degraded (" + store.state() + ")";
        }
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    Optional<IscsidConf> conf() {
        return Optional.ofNullable(conf);
    }

    ResyncList resync() {
        return resync;
    }

    /**
     * Node records as the daemon's store has them at the time of each call (the store open then,
     * after swaps and providers coming and going): what the session engine reads again before it
     * logs in anew to recover a session. Empty while no store is open or it has no such record.
     */
    public NodeRecordSource recordSource() {
        return key -> {
            Optional<NodeStore> s = store.store();
            if (s.isEmpty()) {
                LOG.debug("record {} asked for while no node store is open", key);
                return Optional.empty();
            }
            return s.get().node(key);
        };
    }
}

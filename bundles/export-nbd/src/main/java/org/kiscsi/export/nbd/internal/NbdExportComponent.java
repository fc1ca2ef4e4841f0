package org.kiscsi.export.nbd.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.export.ExportInfo;
import org.kiscsi.api.export.ExportService;
import org.kiscsi.api.export.ExportSpec;
import org.kiscsi.api.export.ExportState;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.export.nbd.NbdExport;
import org.kiscsi.export.nbd.NbdServer;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's NBD exports (PID {@code org.kiscsi.export.nbd}): an {@link NbdServer} on a Unix socket
 * and/or loopback TCP, serving LUNs of the daemon's sessions by name. Each export follows the sessions
 * of its node record (see {@link ExportService}): a session logging in opens the LUN, its recovery is the
 * engine's (requests are held there), its end leaves requests waiting in {@link FollowingDevice} for
 * the next session. Exports come from {@code export.<name>} properties (see {@link ExportLines}) and
 * from {@link #add} at run time; a persistent one is written into those properties through Config Admin
 * (see {@link ConfiguredExports}), a removed one taken out of them.
 */
@Component(service = ExportService.class, configurationPid = "org.kiscsi.export.nbd",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class NbdExportComponent implements ExportService, SessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(NbdExportComponent.class);
    /** node.session.timeo.replacement_timeout's default, used when the record cannot be read. */
    static final Duration DEFAULT_REPLACEMENT = Duration.ofSeconds(120);

    /** Configuration; relative paths are relative to the installation directory. */
    public @interface Config {
        /** The Unix socket (empty: none); its directory is made 0700, the socket 0600. */
        String socket() default "run/nbd/nbd.sock";

        /** TCP port (0: no TCP listener). */
        int tcp_port() default 0;

        /** The TCP listener's address: loopback unless another is named here. */
        String tcp_address() default "127.0.0.1";

        int maxInFlight() default 64;

        long maxHeldBytes() default 64L << 20;

        long stallTimeoutSeconds() default 60;
    }

    private final SessionManager sessions;
    private final LunService luns;
    private volatile IscsiManagement management;
    private volatile ConfigurationAdmin configAdmin;
    private final Map<String, DaemonExport> exports = new TreeMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiscsi-nbd-exports");
        t.setDaemon(true);
        return t;
    });
    private NbdServer server;
    private Listening listening;
    private final List<String> listeners = new ArrayList<>();

    @Activate
    public NbdExportComponent(@Reference(name = "sessions") SessionManager sessions, @Reference(name = "luns") LunService luns, Config config,
            Map<String, Object> properties) {
        this.sessions = sessions;
        this.luns = luns;
        List<ExportSpec> specs = ExportLines.parse(properties);
        synchronized (this) {
            listen(Listening.of(config));
            specs.forEach(s -> addLocked(s, true));
        }
        sessions.addListener(this);
        sessions.sessions().forEach(s -> stateChanged(s, null));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setManagement(IscsiManagement m) {
        management = m;
    }

    void unsetManagement(IscsiManagement m) {
        if (management == m) {
            management = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public void setConfigurationAdmin(ConfigurationAdmin c) {
        configAdmin = c;
    }

    void unsetConfigurationAdmin(ConfigurationAdmin c) {
        if (configAdmin == c) {
            configAdmin = null;
        }
    }

    /** A changed file: exports from it are added and removed, run-time ones kept; new listeners restart the server. */
    @Modified
    void modified(Config config, Map<String, Object> properties) {
        List<ExportSpec> specs = ExportLines.parse(properties);
        synchronized (this) {
            Listening next = Listening.of(config);
            if (!next.equals(listening)) {
                LOG.info("NBD export listeners changed: restarting the NBD server (its clients are disconnected)");
                server.close();
                listen(next);
                exports.values().stream().filter(e -> e.nbd != null).forEach(e -> server.addExport(e.nbd));
            }
            for (DaemonExport e : List.copyOf(exports.values())) {
                if (e.configured && specs.stream().noneMatch(s -> s.equals(e.spec))) {
                    removeLocked(e, "no longer in the configuration");
                }
            }
            for (ExportSpec s : specs) {
                DaemonExport e = exports.get(s.name());
                if (e == null) {
                    addLocked(s, true);
                } else if (e.spec.equals(s)) {
                    e.configured = true; // a run-time export written there (persistent), or by hand
                } else {
                    LOG.warn("NBD export '{}' of the configuration: the name is used by a run-time export; not added", s.name());
                }
            }
        }
        sessions.sessions().forEach(s -> stateChanged(s, null));
    }

    @Deactivate
    public void deactivate() {
        sessions.removeListener(this);
        synchronized (this) {
            exports.values().forEach(e -> {
                e.removed = true;
                if (e.device != null) {
                    e.device.fail("the NBD export service stopped");
                }
            });
            exports.clear();
            server.close();
        }
        timers.shutdownNow();
    }

    private void listen(Listening l) {
        listening = l;
        listeners.clear();
        server = l.start(listeners);
    }

    // ---------------------------------------------------------------- ExportService

    @Override
    public synchronized List<ExportInfo> exports() {
        return exports.values().stream().map(e -> e.info(server.clients(e.spec.name()))).toList();
    }

    @Override
    public synchronized Optional<ExportInfo> export(String name) {
        return Optional.ofNullable(exports.get(name)).map(e -> e.info(server.clients(name)));
    }

    @Override
    public synchronized List<String> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public CompletionStage<ExportInfo> add(ExportSpec spec, boolean persistent) {
        DaemonExport e;
        synchronized (this) {
            try {
                NbdExport.checkName(spec.name());
            } catch (IllegalArgumentException x) {
                return CompletableFuture.failedFuture(new IscsiException(IscsiError.INVAL, x.getMessage()));
            }
            if (exports.containsKey(spec.name())) {
                return CompletableFuture.failedFuture(new IscsiException(IscsiError.INVAL, "an export named '" + spec.name()
                        + "' exists already: " + exports.get(spec.name()).spec));
            }
            e = addLocked(spec, false);
        }
        if (persistent) {
            try {
                ConfiguredExports.keep(configAdmin, spec);
            } catch (IscsiException x) {
                synchronized (this) {
                    if (exports.get(spec.name()) == e) {
                        removeLocked(e, "not added: " + x.getMessage());
                    }
                }
                return CompletableFuture.failedFuture(x);
            }
            synchronized (this) {
                e.configured = true;
            }
        }
        sessions.sessions().stream().filter(e::follows).forEach(s -> stateChanged(s, null));
        return CompletableFuture.completedFuture(export(spec.name()).orElseThrow());
    }

    @Override
    public CompletionStage<ExportInfo> remove(String name) {
        ExportInfo last;
        synchronized (this) {
            DaemonExport e = exports.get(name);
            if (e == null) {
                return CompletableFuture.failedFuture(new IscsiException(IscsiError.NO_OBJS_FOUND, "no export named '" + name
                        + "'" + (exports.isEmpty() ? " (there is none)" : " (there are " + String.join(", ", exports.keySet()) + ")")));
            }
            last = e.info(server.clients(name));
        }
        if (last.configured()) {
            // out of the file first: a failure leaves the export as it was (the file would bring it back)
            try {
                ConfiguredExports.forget(configAdmin, name);
            } catch (IscsiException x) {
                return CompletableFuture.failedFuture(x);
            }
        }
        synchronized (this) {
            DaemonExport e = exports.get(name);
            if (e != null) {
                removeLocked(e, "removed");
            }
        }
        return CompletableFuture.completedFuture(last);
    }

    private DaemonExport addLocked(ExportSpec spec, boolean configured) {
        DaemonExport e = new DaemonExport(spec, configured, DEFAULT_REPLACEMENT);
        exports.put(spec.name(), e);
        LOG.info("NBD export {} added{}", spec, configured ? " from the configuration" : "");
        return e;
    }

    private void removeLocked(DaemonExport e, String why) {
        exports.remove(e.spec.name());
        e.removed = true;
        server.removeExport(e.spec.name());
        if (e.device != null) {
            e.device.fail("export '" + e.spec.name() + "' " + why);
        }
        LOG.info("NBD export {} {}", e.spec, why);
    }

    // ---------------------------------------------------------------- following sessions

    @Override
    public void stateChanged(SessionInfo s, SessionState previous) {
        List<DaemonExport> toOpen = new ArrayList<>();
        synchronized (this) {
            for (DaemonExport e : exports.values()) {
                if (!e.follows(s)) {
                    continue;
                }
                if (e.sid == s.sid()) {
                    switch (s.state()) {
                        case RECOVERING -> {
                            e.state = ExportState.RECOVERING;
                            e.detail = "session " + s.sid() + " is recovering (" + s.recovery() + "); requests wait for it";
                        }
                        case LOGGED_IN -> e.state = ExportState.READY;
                        case LOGGING_OUT, CLOSED -> {
                            e.sid = -1;
                            e.state = ExportState.WAITING;
                            e.detail = "session " + s.sid() + " " + (s.state() == SessionState.CLOSED ? "closed" : "is logging out")
                                    + "; waiting for a new session of the record";
                            if (e.device != null) {
                                e.device.detach("no session of " + e.spec.node() + " since session " + s.sid() + " ended");
                            }
                            LOG.info("NBD {}: {}", e.where(), e.detail);
                            sessions.sessions().stream().filter(o -> o.sid() != s.sid() && o.state() == SessionState.LOGGED_IN
                                    && e.follows(o)).findFirst().ifPresent(o -> {
                                        e.opening = o.sid();
                                        toOpen.add(e);
                                    });
                        }
                        default -> {
                        }
                    }
                } else if (s.state() == SessionState.LOGGED_IN && e.sid < 0 && e.opening < 0) {
                    e.opening = s.sid();
                    toOpen.add(e);
                }
            }
        }
        toOpen.forEach(this::open);
    }

    /** Opens the LUN on {@code e.opening} (the record's replacement_timeout read alongside); never blocks. */
    private void open(DaemonExport e) {
        long sid;
        synchronized (this) {
            sid = e.opening;
            e.state = ExportState.OPENING;
        }
        CompletableFuture<Duration> timeout = replacementTimeout(e);
        luns.open(sid, e.spec.lun()).toCompletableFuture().thenCombine(timeout, (d, t) -> {
            attached(e, sid, d, t);
            return null;
        }).exceptionally(x -> {
            synchronized (this) {
                e.opening = -1;
                if (!e.removed) {
                    e.state = ExportState.FAILED;
                    e.detail = describe(x);
                    if (e.device != null) {
                        e.device.fail(e.detail);
                    }
                    LOG.warn("NBD {}: {}", e.where(), e.detail);
                }
            }
            return null;
        });
    }

    private void attached(DaemonExport e, long sid, BlockDevice d, Duration replacement) {
        FollowingDevice fresh = null;
        synchronized (this) {
            e.opening = -1;
            if (e.removed) {
                return;
            }
            e.replacementTimeout = replacement;
            if (e.device == null) {
                fresh = new FollowingDevice(e.where(), d, replacement, timers);
                e.device = fresh;
            } else {
                String mismatch = e.device.mismatch(d);
                if (mismatch != null) {
                    throw new IscsiException(IscsiError.INVAL, mismatch);
                }
                e.device.attach(d, replacement);
            }
            e.sid = sid;
            if (fresh == null) {
                e.state = ExportState.READY;
                LOG.info("NBD {}: serving from session {} again", e.where(), sid);
                return;
            }
        }
        // the first device: probe its pages, then offer it
        NbdExport.open(e.spec.name(), "LUN " + e.spec.lun() + " of " + e.spec.node(), fresh, e.spec.readOnly())
                .whenComplete((nbd, x) -> {
                    synchronized (this) {
                        if (x != null) {
                            e.state = ExportState.FAILED;
                            e.detail = describe(x);
                            return;
                        }
                        if (e.removed) {
                            return;
                        }
                        e.nbd = nbd;
                        server.addExport(nbd);
                        e.state = ExportState.READY;
                        LOG.info("NBD {}: serving from session {}", e.where(), sid);
                    }
                });
    }

    /** The record's node.session.timeo.replacement_timeout (through the management service, when there is one). */
    private CompletableFuture<Duration> replacementTimeout(DaemonExport e) {
        IscsiManagement m = management;
        if (m == null) {
            return CompletableFuture.completedFuture(e.replacementTimeout);
        }
        return m.nodes(NodeSelector.of(e.spec.node()), false).toCompletableFuture()
                .thenApply(records -> records.isEmpty() ? e.replacementTimeout
                        : Duration.ofSeconds(Math.max(0, records.get(0).values().getInt(NodeKeys.REPLACEMENT_TIMEOUT, 120))))
                .exceptionally(x -> e.replacementTimeout);
    }

    private static String describe(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}

package org.kiscsi.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.InitiatorIdentity;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionType;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.spi.auth.AuthenticatorFactory;
import org.kiscsi.spi.transport.TransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The session engine: opens, tracks and closes sessions; the {@link SessionManager} front ends use. */
public final class Engine implements SessionManager {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Map<String, TransportProvider> transports = new ConcurrentHashMap<>();
    private final Map<String, AuthenticatorFactory> authenticators = new ConcurrentHashMap<>();
    private final Map<Long, SessionImpl> sessions = new ConcurrentSkipListMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong nextSid = new AtomicLong(1);
    private final ScheduledThreadPoolExecutor scheduler;
    private final SessionOpener opener;
    private volatile Supplier<InitiatorIdentity> identity;
    private volatile NodeRecordSource records;
    /** Session indices being opened, per record and type, so concurrent logins do not pick the same one. */
    private final Map<String, Set<Integer>> opening = new HashMap<>();

    public Engine(Supplier<InitiatorIdentity> identity) {
        this.identity = identity;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kiscsi-engine-timer");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.opener = new SessionOpener(this);
    }

    // ---------------------------------------------------------------- plug-ins

    /** A transport (back): sessions recovering try to log in again at once. */
    public void addTransport(TransportProvider t) {
        transports.put(t.name(), t);
        sessions.values().forEach(SessionImpl::transportAvailable);
    }

    /**
     * A transport goes away (its bundle stopped or updated): its connections are lost, and their
     * sessions recover, not log out; they come back when a transport of that name is there again.
     */
    public void removeTransport(TransportProvider t) {
        if (transports.remove(t.name(), t)) {
            sessions.values().forEach(s -> s.transportGone(t.name()));
        }
    }

    /** Where records are read again before a session logs in anew (null: sessions keep their own). */
    public void setRecordSource(NodeRecordSource source) {
        this.records = source;
    }

    /** The record as it is now, or {@code record} when there is no source or it has no such record. */
    NodeRecord currentRecord(NodeRecord record) {
        NodeRecordSource source = records;
        if (source == null) {
            return record;
        }
        try {
            return source.node(record.key()).orElseGet(() -> {
                LOG.info("the record source has no record {}; its session logs in again with the values it was opened with",
                        record.key());
                return record;
            });
        } catch (RuntimeException e) {
            LOG.warn("record {} cannot be read again ({}); recovering its session with the values it had", record.key(), e.toString());
            return record;
        }
    }

    /**
     * Reserves the session indices missing for {@code key}: for normal sessions those below
     * {@code wanted} that no open (or opening) session has, failing as open-iscsi does when none is
     * missing; for discovery sessions the lowest free one.
     */
    synchronized List<Integer> reserve(NodeKey key, SessionType type, int wanted) {
        Set<Integer> taken = new HashSet<>(opening.getOrDefault(key + "|" + type, Set.of()));
        for (SessionImpl s : sessions.values()) {
            if (s.type == type && s.key.equals(key) && s.state() != SessionState.CLOSED) {
                taken.add(s.index);
            }
        }
        List<Integer> free = new ArrayList<>();
        if (type == SessionType.DISCOVERY) {
            int i = 0;
            while (taken.contains(i)) {
                i++;
            }
            free.add(i);
        } else {
            for (int i = 0; i < wanted; i++) {
                if (!taken.contains(i)) {
                    free.add(i);
                }
            }
            if (free.isEmpty()) {
                throw new IscsiException(IscsiError.SESS_EXISTS, key.iface() + ": " + wanted + " session requested, but "
                        + taken.size() + " already present.");
            }
        }
        opening.computeIfAbsent(key + "|" + type, k -> new HashSet<>()).addAll(free);
        return free;
    }

    synchronized void release(NodeKey key, SessionType type, int index) {
        Set<Integer> s = opening.get(key + "|" + type);
        if (s != null && s.remove(index) && s.isEmpty()) {
            opening.remove(key + "|" + type);
        }
    }

    SessionOpener opener() {
        return opener;
    }

    /**
     * An authenticator (back): sessions recovering try to log in again at once, as with
     * {@link #addTransport} (a record naming an AuthMethod with no authenticator cannot log in).
     */
    public void addAuthenticator(AuthenticatorFactory f) {
        authenticators.put(f.authMethod(), f);
        sessions.values().forEach(SessionImpl::transportAvailable);
    }

    public void removeAuthenticator(AuthenticatorFactory f) {
        authenticators.remove(f.authMethod(), f);
    }

    TransportProvider transport(String name) {
        TransportProvider t = transports.get(name);
        if (t == null) {
            throw new IscsiException(IscsiError.TRANS_NOT_FOUND, "transport '" + name + "' is not installed (installed: "
                    + String.join(", ", transports.keySet()) + ")");
        }
        return t;
    }

    AuthenticatorFactory authenticator(String method) {
        return authenticators.get(method);
    }

    InitiatorIdentity identity() {
        InitiatorIdentity i = identity == null ? null : identity.get();
        return i == null ? InitiatorIdentity.of(null, null) : i;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    long newSid() {
        return nextSid.getAndIncrement();
    }

    // ---------------------------------------------------------------- SessionManager

    @Override
    public CompletionStage<SessionInfo> login(NodeRecord record) {
        return opener.login(record);
    }

    @Override
    public CompletionStage<Void> logout(long sid) {
        SessionImpl s = sessions.get(sid);
        if (s == null) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESS_NOT_FOUND, "no session with sid " + sid));
        }
        return s.logout();
    }

    @Override
    public CompletionStage<DiscoverySession> openDiscoverySession(DiscoveryRecord record) {
        return opener.discovery(record);
    }

    @Override
    public List<SessionInfo> sessions() {
        List<SessionInfo> out = new ArrayList<>();
        for (SessionImpl s : sessions.values()) {
            out.add(s.info());
        }
        return out;
    }

    @Override
    public Optional<SessionInfo> session(long sid) {
        return Optional.ofNullable(sessions.get(sid)).map(SessionImpl::info);
    }

    @Override
    public org.kiscsi.api.session.SessionStatistics statistics(long sid) {
        SessionImpl s = sessions.get(sid);
        if (s == null) {
            throw new IscsiException(IscsiError.SESS_NOT_FOUND, "no session with sid " + sid);
        }
        return s.statistics();
    }

    @Override
    public ScsiTaskExecutor executor(long sid) {
        SessionImpl s = sessions.get(sid);
        if (s == null) {
            throw new IscsiException(IscsiError.SESS_NOT_FOUND, "no session with sid " + sid);
        }
        return s;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- events from sessions

    void registered(SessionImpl s) {
        sessions.put(s.sid, s);
        notifyListeners(s.info(), SessionState.LOGGING_IN);
    }

    void stateChanged(SessionImpl s, SessionState previous) {
        notifyListeners(s.info(), previous);
    }

    void sessionClosed(SessionImpl s) {
        sessions.remove(s.sid);
    }

    /** Listeners hear events in order, on the engine's timer thread: never under a session lock. */
    private void notifyListeners(SessionInfo info, SessionState previous) {
        for (SessionListener l : listeners) {
            scheduler.execute(() -> safely(() -> l.stateChanged(info, previous)));
        }
    }

    void rescanNeeded(long sid, long lun, String reason) {
        LOG.info("session {}: LUN {} reports {}: rescan needed", sid, lun, reason);
        for (SessionListener l : listeners) {
            // listeners may call back into the engine: never from under a session lock
            scheduler.execute(() -> safely(() -> l.rescanNeeded(sid, lun, reason)));
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("session listener failed", e);
        }
    }

    /** Tasks held by every session: in task tables and waiting (what a leak check counts). */
    public int tasksHeld() {
        return sessions.values().stream().mapToInt(SessionImpl::tasksHeld).sum();
    }

    /** Logs out every session (each within its logout timeout) and stops the timer. */
    public void close() {
        List<CompletableFuture<Void>> outs = new ArrayList<>();
        for (SessionImpl s : sessions.values()) {
            outs.add(s.logout().exceptionally(e -> null));
        }
        try {
            CompletableFuture.allOf(outs.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("not every session logged out in time: {}", e.toString());
            sessions.values().forEach(s -> s.close(e));
        }
        scheduler.shutdownNow();
    }
}

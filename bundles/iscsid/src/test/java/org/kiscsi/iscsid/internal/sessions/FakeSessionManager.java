package org.kiscsi.iscsid.internal.sessions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Isid;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.RecoveryStage;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.api.session.SessionType;

/**
 * A test double of the session engine: logins succeed at once unless the target's name contains
 * "fail"; like the engine, a login opens the sessions missing up to the record's
 * {@code node.session.nr_sessions} and fails with SESS_EXISTS when none is missing. It tells its
 * listeners as the real one must.
 */
public final class FakeSessionManager implements SessionManager {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<Long, SessionInfo> sessions = new TreeMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private long nextSid = 1;

    /**
     * The {@code tcp} transport as the daemon sees it installed (by name: the daemon checks an iface's
     * transport before a login). This engine never asks it to connect; a call would be a bug.
     */
    public static org.kiscsi.spi.transport.TransportProvider tcp() {
        return new org.kiscsi.spi.transport.TransportProvider() {
            @Override
            public String name() {
                return "tcp";
            }

            @Override
            public java.util.Set<org.kiscsi.spi.transport.TransportCapability> capabilities() {
                return java.util.Set.of();
            }

            @Override
            public CompletionStage<org.kiscsi.spi.transport.TransportConnection> connect(
                    org.kiscsi.spi.transport.ConnectRequest request, org.kiscsi.spi.transport.TransportListener listener) {
                return CompletableFuture.failedFuture(new IllegalStateException("the fake engine's transport never connects"));
            }
        };
    }

    @Override
    public synchronized CompletionStage<SessionInfo> login(NodeRecord record) {
        calls.add("login " + record.key());
        if (record.target().value().contains("fail")) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.LOGIN, "login to " + record.portal() + " refused"));
        }
        int wanted = record.values().get(NodeKeys.NR_SESSIONS).map(Integer::parseInt).orElse(1);
        long present = sessions.values().stream().filter(s -> s.node().equals(record.key())).count();
        if (present >= wanted) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESS_EXISTS, record.iface() + ": " + wanted
                    + " session" + (wanted == 1 ? "" : "s") + " requested, but " + present + " already present."));
        }
        SessionInfo first = null;
        for (long i = present; i < wanted; i++) {
            SessionInfo s = info(nextSid++, record, SessionState.LOGGED_IN);
            sessions.put(s.sid(), s);
            listeners.forEach(l -> l.stateChanged(s, SessionState.LOGGING_IN));
            first = first == null ? s : first;
        }
        return CompletableFuture.completedFuture(first);
    }

    /** Moves a session to another state (recovery, a logout under way), telling the listeners. */
    public synchronized void enter(long sid, SessionState state) {
        SessionInfo s = sessions.get(sid);
        SessionInfo next = new SessionInfo(s.sid(), s.node(), s.type(), s.isid(), s.tsih(), state, RecoveryStage.NONE,
                List.of(), Map.of(), "", Instant.now());
        sessions.put(sid, next);
        listeners.forEach(l -> l.stateChanged(next, s.state()));
    }

    private static SessionInfo info(long sid, NodeRecord r, SessionState state) {
        return new SessionInfo(sid, r.key(), SessionType.NORMAL, Isid.of(0x80_0000_0000L + sid), 1, state, RecoveryStage.NONE,
                List.of(), Map.of(), "", Instant.now());
    }

    @Override
    public synchronized CompletionStage<Void> logout(long sid) {
        calls.add("logout " + sid);
        SessionInfo s = sessions.remove(sid);
        if (s == null) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESS_NOT_FOUND, "no session " + sid));
        }
        SessionInfo closed = new SessionInfo(s.sid(), s.node(), s.type(), s.isid(), s.tsih(), SessionState.CLOSED,
                RecoveryStage.NONE, List.of(), Map.of(), "", Instant.now());
        listeners.forEach(l -> l.stateChanged(closed, s.state()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<DiscoverySession> openDiscoverySession(DiscoveryRecord record) {
        throw new UnsupportedOperationException("not needed by the daemon's tests");
    }

    @Override
    public synchronized List<SessionInfo> sessions() {
        return new ArrayList<>(sessions.values());
    }

    @Override
    public synchronized Optional<SessionInfo> session(long sid) {
        return Optional.ofNullable(sessions.get(sid));
    }

    @Override
    public ScsiTaskExecutor executor(long sid) {
        throw new UnsupportedOperationException("not needed by the daemon's tests");
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    public int listenerCount() {
        return listeners.size();
    }
}

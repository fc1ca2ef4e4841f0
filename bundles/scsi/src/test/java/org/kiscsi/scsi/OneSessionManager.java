package org.kiscsi.scsi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeKey;
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
 * A test double of kiscsi's own {@link SessionManager} with one logged-in session whose command path
 * is the given executor; the LUN service uses {@link #executor}, {@link #session} and the listeners,
 * to which a test raises session events ({@link #raiseRescan}, {@link #close(long)}) as the engine would.
 */
public final class OneSessionManager implements SessionManager {
    private final long sid;
    private final ScsiTaskExecutor executor;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    public OneSessionManager(long sid, ScsiTaskExecutor executor) {
        this.sid = sid;
        this.executor = executor;
    }

    @Override
    public ScsiTaskExecutor executor(long id) {
        if (id != sid) {
            throw new IscsiException(IscsiError.SESS_NOT_FOUND, "session " + id + " not found");
        }
        return executor;
    }

    @Override
    public Optional<SessionInfo> session(long id) {
        if (id != sid) {
            return Optional.empty();
        }
        NodeKey node = new NodeKey(IscsiName.of("iqn.2026-11.test.kiscsi:disk"), Portal.parse("127.0.0.1:3260,1"), null);
        return Optional.of(new SessionInfo(sid, node, SessionType.NORMAL, Isid.parse("400001370000"), 1, SessionState.LOGGED_IN,
                RecoveryStage.NONE, List.of(), Map.of(), "", Instant.EPOCH));
    }

    @Override
    public List<SessionInfo> sessions() {
        return session(sid).stream().toList();
    }

    @Override
    public CompletionStage<SessionInfo> login(NodeRecord record) {
        throw new UnsupportedOperationException("not used by the LUN service");
    }

    @Override
    public CompletionStage<Void> logout(long id) {
        throw new UnsupportedOperationException("not used by the LUN service");
    }

    @Override
    public CompletionStage<DiscoverySession> openDiscoverySession(DiscoveryRecord record) {
        throw new UnsupportedOperationException("not used by the LUN service");
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    public List<SessionListener> listeners() {
        return List.copyOf(listeners);
    }

    /** What the engine does on REPORTED LUNS / CAPACITY DATA HAS CHANGED: tells every listener. */
    public void raiseRescan(long id, long lun, String reason) {
        listeners.forEach(l -> l.rescanNeeded(id, lun, reason));
    }

    /** Tells the listeners that session {@code id} went from LOGGED_IN to CLOSED. */
    public void close(long id) {
        SessionInfo s = session(sid).orElseThrow();
        SessionInfo closed = new SessionInfo(id, s.node(), s.type(), s.isid(), s.tsih(), SessionState.CLOSED, RecoveryStage.NONE,
                List.of(), Map.of(), "", Instant.EPOCH);
        listeners.forEach(l -> l.stateChanged(closed, SessionState.LOGGED_IN));
    }
}

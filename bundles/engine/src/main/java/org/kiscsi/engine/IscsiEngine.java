package org.kiscsi.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.InitiatorIdentity;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.engine.internal.Engine;
import org.kiscsi.spi.auth.AuthenticatorFactory;
import org.kiscsi.spi.transport.TransportProvider;

/**
 * kiscsi's session engine for applications that do not run OSGi:
 *
 * <pre>
 * try (TcpTransport tcp = new TcpTransport();
 *      IscsiEngine engine = IscsiEngine.builder().initiatorName("iqn.2026-11.com.example:app").transport(tcp).build()) {
 *     SessionInfo s = engine.login(record).toCompletableFuture().get();
 *     ScsiTaskExecutor lun = engine.executor(s.sid());
 * }
 * </pre>
 *
 * Closing the engine logs out every session. Completion stages complete on kiscsi's I/O threads:
 * callbacks must not block (use the *Async variants with an executor of your own if they must).
 *
 * <p>Transports, authenticators, the identity and the record source may also change while the engine
 * runs (the OSGi component, a subclass, does exactly that as services come and go).
 */
public class IscsiEngine implements SessionManager, AutoCloseable {
    private final Engine engine;
    private volatile InitiatorIdentity identity;

    /** An engine with no transport and no identity yet: add them with the methods below. */
    protected IscsiEngine() {
        this.engine = new Engine(() -> identity);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Wires an engine by hand. */
    public static final class Builder {
        private String initiatorName;
        private String initiatorAlias;
        private final List<TransportProvider> transports = new ArrayList<>();
        private final List<AuthenticatorFactory> authenticators = new ArrayList<>();
        private NodeRecordSource recordSource;

        /** The InitiatorName logins send (validated). */
        public Builder initiatorName(String name) {
            this.initiatorName = IscsiName.of(name).value();
            return this;
        }

        public Builder initiatorAlias(String alias) {
            this.initiatorAlias = alias;
            return this;
        }

        public Builder transport(TransportProvider transport) {
            transports.add(transport);
            return this;
        }

        public Builder authenticator(AuthenticatorFactory factory) {
            authenticators.add(factory);
            return this;
        }

        /** Where a session's record is read again before it logs in anew (recovery); default: none. */
        public Builder recordSource(NodeRecordSource source) {
            this.recordSource = source;
            return this;
        }

        public IscsiEngine build() {
            IscsiEngine e = new IscsiEngine();
            e.setIdentity(InitiatorIdentity.of(initiatorName, initiatorAlias));
            transports.forEach(e::addTransport);
            authenticators.forEach(e::addAuthenticator);
            e.setRecordSource(recordSource);
            return e;
        }
    }

    /** A transport to log in over; sessions recovering over one of its name try again at once. */
    public void addTransport(TransportProvider transport) {
        engine.addTransport(transport);
    }

    /** A transport goes away: sessions over it recover (they are not logged out) until one of its name is back. */
    public void removeTransport(TransportProvider transport) {
        engine.removeTransport(transport);
    }

    public void addAuthenticator(AuthenticatorFactory factory) {
        engine.addAuthenticator(factory);
    }

    public void removeAuthenticator(AuthenticatorFactory factory) {
        engine.removeAuthenticator(factory);
    }

    /** Who logins say this initiator is (null: none, logins then fail saying so). */
    public void setIdentity(InitiatorIdentity identity) {
        this.identity = identity;
    }

    /** Where records are read again before a session in recovery logs in anew (null: none). */
    public void setRecordSource(NodeRecordSource source) {
        engine.setRecordSource(source);
    }

    @Override
    public CompletionStage<SessionInfo> login(NodeRecord record) {
        return engine.login(record);
    }

    @Override
    public CompletionStage<Void> logout(long sid) {
        return engine.logout(sid);
    }

    @Override
    public CompletionStage<DiscoverySession> openDiscoverySession(DiscoveryRecord record) {
        return engine.openDiscoverySession(record);
    }

    @Override
    public List<SessionInfo> sessions() {
        return engine.sessions();
    }

    @Override
    public Optional<SessionInfo> session(long sid) {
        return engine.session(sid);
    }

    @Override
    public org.kiscsi.api.session.SessionStatistics statistics(long sid) {
        return engine.statistics(sid);
    }

    @Override
    public ScsiTaskExecutor executor(long sid) {
        return engine.executor(sid);
    }

    @Override
    public void addListener(SessionListener listener) {
        engine.addListener(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        engine.removeListener(listener);
    }

    /** Tasks held by every session, in task tables and waiting: 0 once every operation ended; for leak checks. */
    public int tasksHeld() {
        return engine.tasksHeld();
    }

    /** Logs out every session and stops the engine's timer. The transports stay the caller's to close. */
    @Override
    public void close() {
        engine.close();
    }
}

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
 */
public final class IscsiEngine implements SessionManager, AutoCloseable {
    private final Engine engine;

    private IscsiEngine(Engine engine) {
        this.engine = engine;
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

        public IscsiEngine build() {
            InitiatorIdentity id = InitiatorIdentity.of(initiatorName, initiatorAlias);
            Engine e = new Engine(() -> id);
            transports.forEach(e::addTransport);
            authenticators.forEach(e::addAuthenticator);
            return new IscsiEngine(e);
        }
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

    /** Logs out every session and stops the engine's timer. The transports stay the caller's to close. */
    @Override
    public void close() {
        engine.close();
    }
}

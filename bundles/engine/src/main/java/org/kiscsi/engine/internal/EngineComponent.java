package org.kiscsi.engine.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.InitiatorIdentity;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionListener;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.spi.auth.AuthenticatorFactory;
import org.kiscsi.spi.transport.TransportProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The engine inside OSGi: transports, authenticators and the initiator identity come and go as
 * services; the engine keeps running and uses whatever is there when a login starts.
 */
@Component(service = SessionManager.class, immediate = true)
public class EngineComponent implements SessionManager {
    private volatile InitiatorIdentity identity;
    private final Engine engine = new Engine(() -> identity);

    @Activate
    void activate() {
        // nothing to start: the engine's timer thread starts with it, sessions start on login
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(TransportProvider t) {
        engine.addTransport(t);
    }

    void removeTransport(TransportProvider t) {
        engine.removeTransport(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthenticator(AuthenticatorFactory f) {
        engine.addAuthenticator(f);
    }

    void removeAuthenticator(AuthenticatorFactory f) {
        engine.removeAuthenticator(f);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setIdentity(InitiatorIdentity id) {
        this.identity = id;
    }

    void unsetIdentity(InitiatorIdentity id) {
        if (this.identity == id) {
            this.identity = null;
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
}

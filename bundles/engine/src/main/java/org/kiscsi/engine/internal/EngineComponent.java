package org.kiscsi.engine.internal;

import org.kiscsi.api.session.InitiatorIdentity;
import org.kiscsi.api.session.NodeRecordSource;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.auth.AuthenticatorFactory;
import org.kiscsi.spi.transport.TransportProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The engine inside OSGi: transports, authenticators, the initiator identity and the record source
 * come and go as services; the engine keeps running and uses whatever is there. A transport that
 * goes away puts its sessions in recovery; they return when it is back.
 */
@Component(service = SessionManager.class, immediate = true)
public class EngineComponent extends IscsiEngine {
    private volatile InitiatorIdentity identity;
    private volatile NodeRecordSource records;

    @Deactivate
    void deactivate() {
        close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindTransport")
    void bindTransport(TransportProvider t) {
        addTransport(t);
    }

    void unbindTransport(TransportProvider t) {
        removeTransport(t);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAuthenticator")
    void bindAuthenticator(AuthenticatorFactory f) {
        addAuthenticator(f);
    }

    void unbindAuthenticator(AuthenticatorFactory f) {
        removeAuthenticator(f);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindIdentity")
    void bindIdentity(InitiatorIdentity id) {
        identity = id;
        setIdentity(id);
    }

    void unbindIdentity(InitiatorIdentity id) {
        if (identity == id) {
            identity = null;
            setIdentity(null);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindRecordSource")
    void bindRecordSource(NodeRecordSource source) {
        records = source;
        setRecordSource(source);
    }

    void unbindRecordSource(NodeRecordSource source) {
        if (records == source) {
            records = null;
            setRecordSource(null);
        }
    }
}

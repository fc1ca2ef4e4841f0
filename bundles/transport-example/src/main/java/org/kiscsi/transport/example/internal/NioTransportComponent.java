package org.kiscsi.transport.example.internal;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.example.NioTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The example transport as an OSGi service, {@code kiscsi.transport=nio}: one {@link NioTransport}
 * from activation to deactivation. The engine binds it by that name; stopping or updating the bundle
 * closes its connections, and the sessions on them recover once a provider named {@code nio} is back.
 * It takes no configuration, so there is nothing to accept and ignore.
 */
@Component(service = TransportProvider.class, property = TransportProvider.NAME_PROPERTY + "=" + NioTransport.NAME)
public final class NioTransportComponent implements TransportProvider {
    private NioTransport transport;

    @Activate
    public void activate() {
        transport = new NioTransport();
    }

    @Deactivate
    public void deactivate() {
        transport.close();
    }

    @Override
    public String name() {
        return NioTransport.NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return transport.capabilities();
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        return transport.connect(request, listener);
    }
}

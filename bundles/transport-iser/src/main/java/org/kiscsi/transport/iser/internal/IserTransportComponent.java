package org.kiscsi.transport.iser.internal;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.iser.IserOptions;
import org.kiscsi.transport.iser.IserTransport;
import org.kiscsi.transport.iser.verbs.Verbs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The iSER transport as a service, over whichever {@link Verbs} service there is (a binding of
 * libibverbs, or the software provider in a test). Without one, no {@code iser} transport is
 * registered, and records naming it find none; the TCP transport is unaffected.
 */
@Component(service = TransportProvider.class, configurationPid = "org.kiscsi.transport.iser",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = TransportProvider.NAME_PROPERTY + "=" + IserTransport.NAME)
public final class IserTransportComponent implements TransportProvider {
    /** Optional configuration, PID {@code org.kiscsi.transport.iser}; see {@link IserOptions}. */
    public @interface Config {
        int initiatorRecvDataSegmentLength() default 8192;

        int targetRecvDataSegmentLength() default 8192;

        int maxOutstandingUnexpectedPdus() default 32;

        int maxAhsLength() default 256;

        boolean helloRequired() default false;

        int sendQueueDepth() default 64;

        boolean taggedBufferForSolicitedDataOnly() default true;

        int poolChunkSize() default IserOptions.DEFAULT_POOL_CHUNK_SIZE;

        int poolChunks() default IserOptions.DEFAULT_POOL_CHUNKS;
    }

    private final IserTransport transport;

    @Activate
    public IserTransportComponent(@Reference Verbs verbs, Config c) {
        transport = new IserTransport(verbs, new IserOptions(c.initiatorRecvDataSegmentLength(), c.targetRecvDataSegmentLength(),
                c.maxOutstandingUnexpectedPdus(), c.maxAhsLength(), c.helloRequired(), c.sendQueueDepth(),
                c.taggedBufferForSolicitedDataOnly(), c.poolChunkSize(), c.poolChunks()));
    }

    @Deactivate
    public void deactivate() {
        transport.close();
    }

    @Override
    public String name() {
        return transport.name();
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

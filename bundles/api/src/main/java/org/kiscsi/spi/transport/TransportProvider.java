package org.kiscsi.spi.transport;

import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transport: TCP, iSER, or a vendor's own. Registered as an OSGi service with the property
 * {@value #NAME_PROPERTY} set to {@link #name()}; the engine picks the one an iface record names
 * ({@code iface.transport_name}).
 *
 * <p>Implemented by transports. When a provider goes away, sessions on its connections recover as
 * after a lost connection, and log in again once a provider of the same name is registered.
 */
@ConsumerType
public interface TransportProvider {
    /** Service property carrying {@link #name()}. */
    String NAME_PROPERTY = "kiscsi.transport";

    /** The name iface records use for this transport ({@code tcp}, {@code iser}, ...). */
    String name();

    /** What this transport can do. */
    Set<TransportCapability> capabilities();

    /**
     * Opens a connection. The stage completes once the transport connection is up (TCP connected,
     * RDMA connection established), or exceptionally with an {@link org.kiscsi.api.IscsiException}
     * naming the portal: {@code TRANS_TIMEOUT} when {@link ConnectRequest#connectTimeout()} passed,
     * {@code TRANS} otherwise. Never blocks the caller.
     *
     * @param listener receives PDUs and the close event; called on the transport's threads
     */
    CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener);
}

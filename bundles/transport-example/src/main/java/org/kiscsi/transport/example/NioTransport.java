package org.kiscsi.transport.example;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.example.internal.NioTransportCore;

/**
 * The vendor kit's example transport, {@code iface.transport_name = nio}: iSCSI over TCP (RFC 7143
 * framing, CRC32C digests) on plain java.nio, with one selector thread for all its connections and
 * no library besides the JDK, the SPI and the protocol bundle's framing helpers. A starting point for
 * a transport of one's own: copy the module, rename the transport, replace the wire.
 *
 * <p>What it declares, it does: {@link TransportCapability#DIGESTS} (header and data CRC32C once
 * configured), {@link TransportCapability#IPV6} (IPv6 portals, link-local ones with a zone id),
 * {@link TransportCapability#BIND_LOCAL_ADDRESS} (binds {@code iface.ipaddress}). It declares no
 * task buffers, no data placement and no login keys of its own, so the engine runs it exactly as it
 * runs TCP. Usable without OSGi ({@code new NioTransport()}); the bundle registers one through DS.
 */
public final class NioTransport implements TransportProvider, AutoCloseable {
    /** The name iface records use. */
    public static final String NAME = "nio";

    private static final Set<TransportCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            TransportCapability.DIGESTS, TransportCapability.IPV6, TransportCapability.BIND_LOCAL_ADDRESS));

    private final NioTransportCore core = new NioTransportCore();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        return core.connect(request, listener);
    }

    /** Connections open now. */
    public int openConnections() {
        return core.openConnections();
    }

    /** Fails connects under way, closes every connection (listeners hear {@code closed(null)}), ends its threads. */
    @Override
    public void close() {
        core.close();
    }
}

package org.kiscsi.testkit.loopback;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.EchoPeer;

/**
 * A transport inside one JVM: connections go through bounded in-memory byte pipes to acceptors
 * {@linkplain #listen listening} on portals of host {@value #HOST}; no socket is involved. PDUs are
 * framed on the pipes exactly as on a TCP stream (padding, CRC32C digests once configured, the
 * MaxRecvDataSegmentLength check), so a test target reads them with the same code it uses on a
 * socket. Tests can also break the "network" ({@link #cutAll()}) or refuse connections
 * ({@link #refuse(boolean)}).
 *
 * <p>Each instance is its own network: a portal listened on in one is not reachable from another.
 */
public final class LoopbackTransport implements TransportProvider {
    /** The host of every loopback portal. */
    public static final String HOST = "in-jvm";
    /** The transport's name, as iface records would use it. */
    public static final String NAME = "loopback";

    private final Map<Integer, LoopbackEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<LoopbackLink> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextPort = new AtomicInteger(1000);
    private final AtomicInteger nextInitiatorPort = new AtomicInteger(40000);
    private volatile boolean refusing;

    @Override
    public String name() {
        return NAME;
    }

    /** Digests (framed and checked on the pipes) and receive placement (data copied into the listener's buffer). */
    @Override
    public Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.DIGESTS, TransportCapability.RECEIVE_PLACEMENT);
    }

    /**
     * Opens a portal of this transport. Each connection made to it is handed to {@code acceptor} on
     * the connecting thread; the acceptor must return quickly (start a thread for the link).
     */
    public LoopbackEndpoint listen(Consumer<LoopbackLink> acceptor) {
        int port = nextPort.incrementAndGet();
        LoopbackEndpoint e = new LoopbackEndpoint(Portal.of(HOST, port, 1), acceptor, () -> endpoints.remove(port));
        endpoints.put(port, e);
        return e;
    }

    /**
     * An echo peer on a new portal of this transport, for {@link org.kiscsi.testkit.contract.TransportContract}:
     * it sends back every PDU except a Logout Request, which closes the connection.
     */
    public EchoPeer echoPeer() {
        return new LoopbackEchoPeer(this);
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        Portal portal = request.portal();
        LoopbackEndpoint endpoint = HOST.equals(portal.address()) ? endpoints.get(portal.port()) : null;
        if (refusing) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS,
                    "connection to " + portal.hostPort() + " refused: the loopback transport refuses connections"));
        }
        if (endpoint == null) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS,
                    "connection to " + portal.hostPort() + " refused: nothing listens there in this JVM"));
        }
        LoopbackLink link = new LoopbackLink(endpoint.portal(), HOST + ":" + nextInitiatorPort.incrementAndGet());
        links.add(link);
        link.onClose(() -> links.remove(link));
        LoopbackConnection c = new LoopbackConnection(link, listener, true);
        endpoint.accept(link);
        CompletableFuture<TransportConnection> up = CompletableFuture.completedFuture(c);
        c.start();
        return up;
    }

    /**
     * Breaks every open connection as a failed network would: buffered bytes are lost, both ends'
     * next read or write fails, and each initiator connection's listener hears
     * {@code closed(cause)} with an {@link IscsiException} of class TRANS whose cause is the
     * {@link IOException}. Portals stay open for new connections.
     */
    public void cutAll() {
        for (LoopbackLink link : links) {
            link.cut(new IOException("connection reset: the loopback network to " + link.portal().hostPort() + " was cut"));
        }
    }

    /** While {@code refuse} is true, new connects fail with an {@link IscsiException} of class TRANS. */
    public LoopbackTransport refuse(boolean refuse) {
        this.refusing = refuse;
        return this;
    }

    /** Connections open now. */
    public int openConnections() {
        return links.size();
    }
}

package org.kiscsi.transport.iser;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.iser.internal.IserConnector;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.Verbs;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * The iSER transport ({@value #NAME}) over a verbs provider. The RDMA device is opened at the first
 * connect; without one, each connect fails with a {@code TRANS} error naming what is missing (the
 * library, or a device). One thread serves every connection's completions.
 */
public final class IserTransport implements TransportProvider, AutoCloseable {
    public static final String NAME = "iser";
    private final Verbs verbs;
    private final IserOptions options;
    private final ExecutorService completions;
    private RdmaDevice device;
    private boolean closed;
    /** Connections open now: closing the transport ends them while its executor still runs. */
    private final Set<TransportConnection> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public IserTransport(Verbs verbs, IserOptions options) {
        this.verbs = verbs;
        this.options = options;
        this.completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiscsi-iser-" + verbs.name());
            t.setDaemon(true);
            return t;
        });
    }

    public IserOptions options() {
        return options;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Direct data placement (and so task buffers) with immediate and unsolicited data in Sends; no
     * digests (RFC 7145 section 6.1), no local binding yet.
     */
    @Override
    public Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.DIRECT_DATA_PLACEMENT, TransportCapability.UNSOLICITED_DATA_BY_SEND,
                TransportCapability.TASK_BUFFERS, TransportCapability.IPV6);
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        String where = "iSER connection to " + request.portal();
        if (request.localAddress().isPresent()) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS_CAPS, where
                    + ": binding to a local address (iface.ipaddress " + request.localAddress().get() + ") is not supported by iser"));
        }
        RdmaDevice d;
        try {
            d = device();
        } catch (VerbsException e) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS, where + ": " + e.getMessage(), e));
        }
        // a host name is resolved off the caller's thread
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(request.portal().address(), request.portal().port()))
                .thenCompose(remote -> remote.isUnresolved()
                        ? CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS, where + ": cannot resolve "
                                + request.portal().address()))
                        : IserConnector.connect(d, remote, request.connectTimeout(), options, completions, listener, where))
                .thenApply(this::track);
    }

    private TransportConnection track(TransportConnection c) {
        synchronized (this) {
            if (!closed) {
                connections.add(c);
                c.closeFuture().whenComplete((v, e) -> connections.remove(c));
                return c;
            }
        }
        IserConnector.transportClosing(c, "the iser transport closed while connecting");
        throw new java.util.concurrent.CompletionException(new IscsiException(IscsiError.TRANS, "iSER connection to "
                + c.remoteAddress() + ": the iser transport closed while connecting"));
    }

    private synchronized RdmaDevice device() throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "the iser transport is closed");
        }
        if (device == null) {
            device = verbs.open();
        }
        return device;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        // each connection's end (its listener told, its memory released) is queued before the executor stops
        connections.forEach(c -> IserConnector.transportClosing(c, "the iser transport is closing"));
        synchronized (this) {
            if (device != null) {
                device.close();
            }
        }
        completions.shutdown();
        try {
            completions.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

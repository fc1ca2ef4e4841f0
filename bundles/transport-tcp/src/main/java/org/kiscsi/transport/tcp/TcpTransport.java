package org.kiscsi.transport.tcp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.tcp.internal.LiveOptions;
import org.kiscsi.transport.tcp.internal.MinaTransport;

/**
 * The iSCSI TCP transport, usable without OSGi: it owns its MINA connector and I/O threads from
 * construction until {@link #close()}.
 *
 * <pre>{@code
 * try (TcpTransport tcp = new TcpTransport()) {
 *     TransportConnection c = tcp.connect(ConnectRequest.to(Portal.parse("[::1]:3260"), Duration.ofSeconds(5)), listener)
 *             .toCompletableFuture().get();
 *     ...
 * }
 * }</pre>
 *
 * <p>Behaviour beyond the SPI:
 * <ul>
 * <li>Until {@code configure()} a connection frames without digests and accepts data segments up to
 * 16777215 bytes; call {@code configure(LinkSettings.LOGIN)} to hold the login phase to 8192.</li>
 * <li>Settings apply from the next PDU that starts after {@code configure()}; called from inside
 * {@code received()}, exactly from the PDU after the one being delivered.</li>
 * <li>{@code suspendReceive()} stops reading from the socket, so the peer's writes stall once the
 * socket buffers are full ({@link TcpOptions#receiveBufferSize()} makes that sooner). When the peer
 * closed while receive was suspended, {@code closed()} follows the remaining PDUs after
 * {@code resumeReceive()}; a local {@code close()} drops them.</li>
 * <li>Sends are bounded by {@link TcpOptions#maxQueuedSendBytes()}: past it a send fails with
 * {@code IscsiException(AGAIN)}, the connection stays up.</li>
 * <li>Stages complete on I/O threads: chained actions must not block.</li>
 * <li>{@link #reconfigure} never closes a connection: the busy poll, read coalescing, AHS check and
 * send-queue limit apply to open connections at once; the thread count and receive buffer to
 * connections made afterwards.</li>
 * </ul>
 */
public final class TcpTransport implements TransportProvider, AutoCloseable {
    /** The name iface records use: {@code iface.transport_name = tcp}. */
    public static final String NAME = "tcp";

    private static final Set<TransportCapability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            TransportCapability.IPV6, TransportCapability.BIND_LOCAL_ADDRESS, TransportCapability.DIGESTS,
            TransportCapability.RECEIVE_PLACEMENT));

    private final LiveOptions options;
    /** Where new connections go; earlier ones of another thread count close with their last connection. */
    private MinaTransport mina;
    private final List<MinaTransport> retired = new ArrayList<>();

    public TcpTransport() {
        this(TcpOptions.DEFAULTS);
    }

    public TcpTransport(TcpOptions options) {
        this.options = new LiveOptions(options);
        this.mina = new MinaTransport(this.options);
    }

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
        synchronized (this) {
            // under the lock: a retired MINA side that is idle closes at once
            return mina.connect(request, listener);
        }
    }

    /** The options in force now. */
    public TcpOptions options() {
        return options.get();
    }

    /**
     * Changes the options without closing a connection. The busy poll, read coalescing, AHS check
     * and send-queue limit apply to every open connection at once. The receive buffer applies to
     * connections made from now on; so does the thread count: new connections get new I/O threads,
     * and the old threads end with the last connection on them (or at {@link #close()}).
     */
    public synchronized void reconfigure(TcpOptions next) {
        TcpOptions before = options.get();
        options.set(next);
        if (next.ioThreads() != before.ioThreads()) {
            MinaTransport old = mina;
            mina = new MinaTransport(options);
            retired.removeIf(MinaTransport::isClosed);
            retired.add(old);
            old.retire();
        } else if (next.receiveBufferSize() != before.receiveBufferSize()) {
            mina.receiveBufferSize(next.receiveBufferSize());
        }
    }

    /** Connections open now. */
    public synchronized int openConnections() {
        int n = mina.openConnections();
        for (MinaTransport m : retired) {
            n += m.openConnections();
        }
        return n;
    }

    /** Fails connects under way, closes every connection (listeners hear {@code closed(null)}), stops the I/O threads. */
    @Override
    public synchronized void close() {
        mina.close();
        retired.forEach(MinaTransport::close);
        retired.clear();
    }

    @Override
    public String toString() {
        return "TcpTransport[" + mina.threadNamePrefix() + "*, " + options.get() + "]";
    }
}

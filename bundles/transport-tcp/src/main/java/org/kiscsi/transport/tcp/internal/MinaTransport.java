package org.kiscsi.transport.tcp.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.tcp.TcpOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA side of a {@code TcpTransport}: one connector, its I/O processors and threads. Its thread
 * count is fixed; a transport whose {@code ioThreads} changes makes a new one for new connections and
 * {@link #retire() retires} this one, which closes once its last connection has.
 */
public final class MinaTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MinaTransport.class);
    private static final long SHUTDOWN_MILLIS = 5_000;

    private final LiveOptions options;
    private final IoThreads threads = new IoThreads();
    private final SimpleIoProcessorPool<NioSession> processors;
    private final NioSocketConnector connector;
    private final Set<ConnectAttempt> connecting = ConcurrentHashMap.newKeySet();
    private final Set<TransportConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;
    /** What its connections read into: a pool of the transport's own, never MINA's JVM-wide allocator. */
    private final ReadBuffers readBuffers = new ReadBuffers();

    /** With the thread count and receive buffer of {@code options} now; the other settings are read live. */
    public MinaTransport(LiveOptions options) {
        this.options = options;
        TcpOptions now = options.get();
        int n = now.ioThreads() > 0 ? now.ioThreads() : Runtime.getRuntime().availableProcessors() + 1;
        ReadLoopProcessor.Threads processorThreads = new ReadLoopProcessor.Threads(threads.pool, options);
        processors = new SimpleIoProcessorPool<>(ReadLoopProcessor.class, processorThreads, n, null);
        connector = new NioSocketConnector(threads.pool, processors);
        connector.setHandler(new SessionHandler());
        // the request's own timeout (ConnectAttempt) decides; MINA's is only a backstop
        connector.setConnectTimeoutMillis(TimeUnit.HOURS.toMillis(1));
        SocketSessionConfig c = connector.getSessionConfig();
        c.setTcpNoDelay(true);
        c.setKeepAlive(true);
        // MINA allocates a buffer of this size before each read but never reads into it: the
        // connection reads into buffers of its own (MinaBypass), so it stays as small as MINA allows
        c.setReadBufferSize(c.getMinReadBufferSize());
        receiveBufferSize(now.receiveBufferSize());
    }

    /** SO_RCVBUF of the connections made from now on (0: the system's default); open ones keep theirs. */
    public void receiveBufferSize(int bytes) {
        // MINA applies it to each new socket, large values before it connects; -1 is its "unset"
        connector.getSessionConfig().setReceiveBufferSize(bytes > 0 ? bytes : -1);
    }

    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS,
                    "cannot connect to " + request.portal().hostPort() + ": the TCP transport is closed"));
        }
        ConnectAttempt a = new ConnectAttempt(request, listener, options, connector, threads, readBuffers);
        connecting.add(a);
        // the caller hears of the connection only once it is counted (openConnections, retirement)
        CompletableFuture<TransportConnection> counted = a.result.whenComplete((c, e) -> {
            if (c != null) {
                connections.add(c);
                c.closeFuture().whenComplete((x, y) -> {
                    connections.remove(c);
                    closeIfRetiredAndIdle();
                });
                if (closed.get()) {
                    c.close(); // the transport closed meanwhile
                }
            }
            connecting.remove(a);
            closeIfRetiredAndIdle();
        });
        try {
            a.start();
        } catch (RejectedExecutionException e) {
            a.abort("the TCP transport is closed");
        }
        return counted.minimalCompletionStage();
    }

    /**
     * No new connections come through here any more (a transport with another thread count took
     * over): closes once the last of its connections, and connects under way, have ended.
     */
    public void retire() {
        retired = true;
        closeIfRetiredAndIdle();
    }

    private void closeIfRetiredAndIdle() {
        if (retired && connecting.isEmpty() && connections.isEmpty()) {
            close();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Connections open now (for tests and diagnostics). */
    public int openConnections() {
        return connections.size();
    }

    /** The pool its connections read into (for tests). */
    ReadBuffers readBuffers() {
        return readBuffers;
    }

    /** The name prefix of this transport's threads (for tests and thread dumps). */
    public String threadNamePrefix() {
        return threads.prefix();
    }

    /** Fails connects under way, closes every connection, then stops MINA and the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connecting.forEach(a -> a.abort("the TCP transport is closing"));
        connections.forEach(TransportConnection::close);
        Runnable stop = () -> {
            try {
                connector.dispose(true);
                processors.dispose();
                threads.shutdown(SHUTDOWN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("stopping the TCP transport's I/O failed", e);
            }
        };
        if (threads.isCurrent()) {
            // an I/O thread cannot wait for itself to end
            Thread t = new Thread(stop, threads.prefix() + "shutdown");
            t.setDaemon(true);
            t.start();
        } else {
            stop.run();
        }
    }
}

package org.kiscsi.transport.tcp.internal;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.future.IoFuture;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.tcp.TcpOptions;

/**
 * One connect: resolve (off the caller's thread when a name service is involved), connect through
 * MINA, and race that against the request's timeout. Whoever completes {@link #result} first wins;
 * a connection that loses is closed without its listener hearing anything.
 */
final class ConnectAttempt {
    private final ConnectRequest request;
    private final TransportListener listener;
    private final Supplier<TcpOptions> options;
    private final NioSocketConnector connector;
    private final IoThreads threads;
    private final ReadBuffers readBuffers;
    private final String portal;
    final CompletableFuture<TransportConnection> result = new CompletableFuture<>();
    private volatile ConnectFuture mina;
    private volatile TcpConnection connection;
    private volatile ScheduledFuture<?> timeout;

    ConnectAttempt(ConnectRequest request, TransportListener listener, Supplier<TcpOptions> options, NioSocketConnector connector,
            IoThreads threads, ReadBuffers readBuffers) {
        this.request = request;
        this.listener = listener;
        this.options = options;
        this.connector = connector;
        this.threads = threads;
        this.readBuffers = readBuffers;
        this.portal = request.portal().hostPort();
    }

    void start() {
        timeout = threads.timer.schedule(this::timedOut, request.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        boolean literal = Addresses.isLiteral(request.portal().address())
                && request.localAddress().map(Addresses::isLiteral).orElse(true);
        if (literal) {
            begin();
        } else {
            threads.pool.execute(this::begin);
        }
    }

    /** Fails a connect still under way (the transport is closing). */
    void abort(String why) {
        fail(new IscsiException(IscsiError.TRANS, "connect to " + portal + " aborted: " + why));
    }

    private void begin() {
        InetSocketAddress remote;
        InetSocketAddress local = null;
        try {
            remote = new InetSocketAddress(InetAddress.getByName(request.portal().address()), request.portal().port());
        } catch (UnknownHostException | SecurityException e) {
            fail(new IscsiException(IscsiError.TRANS, "cannot resolve portal " + portal + ": " + e.getMessage(), e));
            return;
        }
        if (request.localAddress().isPresent()) {
            String a = request.localAddress().get();
            try {
                local = new InetSocketAddress(InetAddress.getByName(a), 0);
            } catch (UnknownHostException | SecurityException e) {
                fail(new IscsiException(IscsiError.TRANS, "cannot resolve local address '" + a + "' to connect to " + portal + ": " + e.getMessage(), e));
                return;
            }
        }
        if (result.isDone()) {
            return; // timed out while resolving
        }
        ConnectFuture f;
        try {
            f = connector.connect(remote, local, (session, future) -> {
                TcpConnection c = new TcpConnection(session, listener, options, readBuffers);
                session.setAttribute(SessionHandler.CONNECTION, c);
                connection = c;
                if (result.isDone()) {
                    c.abandon();
                }
            });
        } catch (RuntimeException e) { // a disposed connector
            fail(new IscsiException(IscsiError.TRANS, "cannot connect to " + portal + ": " + e.getMessage(), e));
            return;
        }
        mina = f;
        if (result.isDone()) {
            f.cancel();
        }
        f.addListener(this::minaDone);
    }

    private void minaDone(IoFuture done) {
        ConnectFuture f = (ConnectFuture) done;
        TcpConnection c = f.isConnected() ? (TcpConnection) f.getSession().getAttribute(SessionHandler.CONNECTION) : connection;
        if (f.isConnected() && c != null && result.complete(c)) {
            cancelTimeout();
            c.start();
            return;
        }
        if (c != null) {
            c.abandon();
        }
        if (!f.isConnected() && !f.isCanceled()) {
            fail(connectFailure(f.getException()));
        }
    }

    private IscsiException connectFailure(Throwable e) {
        String from = request.localAddress().map(a -> " from " + a).orElse("");
        if (e instanceof BindException) {
            return new IscsiException(IscsiError.TRANS, "cannot bind local address" + from + " to connect to " + portal + ": " + e.getMessage(), e);
        }
        String why = e == null ? "unknown error" : e.getMessage() == null ? e.toString() : e.getMessage();
        return new IscsiException(IscsiError.TRANS, "cannot connect to " + portal + from + ": " + why, e);
    }

    private void timedOut() {
        if (result.completeExceptionally(new IscsiException(IscsiError.TRANS_TIMEOUT, "connect to " + portal
                + " timed out after " + request.connectTimeout().toMillis() + " ms"))) {
            ConnectFuture f = mina;
            if (f != null) {
                f.cancel();
            }
            TcpConnection c = connection;
            if (c != null) {
                c.abandon();
            }
        }
    }

    private void fail(IscsiException e) {
        if (result.completeExceptionally(e)) {
            cancelTimeout();
            ConnectFuture f = mina;
            if (f != null) {
                f.cancel();
            }
        }
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}

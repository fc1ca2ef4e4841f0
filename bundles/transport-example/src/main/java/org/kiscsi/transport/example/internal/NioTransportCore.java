package org.kiscsi.transport.example.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;

/**
 * The transport's machinery: one selector loop for every connection, and a resolver thread so a host
 * name (a portal's, or a local address's) is never looked up on the selector thread or the caller's.
 */
public final class NioTransportCore implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SelectorLoop loop;
    private final ExecutorService resolver;
    private final Set<NioConnection> open = ConcurrentHashMap.newKeySet();

    public NioTransportCore() {
        int n = INSTANCES.incrementAndGet();
        loop = new SelectorLoop("kiscsi-nio-" + n);
        resolver = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiscsi-nio-" + n + "-resolver");
            t.setDaemon(true);
            return t;
        });
    }

    /** Resolves, then connects on the selector thread; the connect timeout bounds both. */
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        Portal portal = request.portal();
        String where = portal.hostPort();
        long timeoutMs = Math.max(1, request.connectTimeout().toMillis());
        CompletableFuture<TransportConnection> result = new CompletableFuture<>();
        AtomicReference<ConnectAttempt> attempt = new AtomicReference<>();
        Runnable timeout = () -> {
            ConnectAttempt a = attempt.get();
            if (a != null) {
                a.timedOut(timeoutMs); // on the loop's thread: closes its socket
            }
            result.completeExceptionally(new IscsiException(IscsiError.TRANS_TIMEOUT, "connect to " + where
                    + " timed out after " + timeoutMs + " ms"));
        };
        CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS).execute(() -> {
            if (!result.isDone() && !loop.execute(timeout)) {
                timeout.run();
            }
        });
        CompletableFuture<InetAddress> local = request.localAddress().filter(a -> !a.isBlank())
                .map(a -> resolve(a, where, "local address")).orElse(CompletableFuture.completedFuture(null));
        resolve(portal.address(), where, "portal").thenCombine(local, (target, from) -> new ConnectAttempt(loop, where,
                new InetSocketAddress(target, portal.port()), from == null ? null : new InetSocketAddress(from, 0),
                channel -> connection(channel, listener))).whenComplete((a, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error instanceof CompletionException ? error.getCause() : error);
                        return;
                    }
                    a.result.whenComplete((c, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else if (!result.complete(c)) {
                            c.close(); // the timeout won
                        }
                    });
                    if (!loop.execute(() -> {
                        attempt.set(a);
                        if (result.isDone()) {
                            a.timedOut(timeoutMs);
                        } else {
                            a.begin();
                        }
                    })) {
                        result.completeExceptionally(closed(where));
                    }
                });
        return result;
    }

    private NioConnection connection(SocketChannel channel, TransportListener listener) {
        NioConnection[] self = new NioConnection[1];
        self[0] = new NioConnection(loop, channel, listener, format(local(channel)), format(remote(channel)),
                () -> open.remove(self[0]));
        open.add(self[0]);
        return self[0];
    }

    /** An address literal parses at once; a name is looked up on the resolver thread. */
    private CompletableFuture<InetAddress> resolve(String host, String portal, String what) {
        if (host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            try {
                return CompletableFuture.completedFuture(InetAddress.getByName(host));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(unresolved(host, portal, what, e));
            }
        }
        CompletableFuture<InetAddress> f = new CompletableFuture<>();
        try {
            resolver.execute(() -> {
                try {
                    f.complete(InetAddress.getByName(host));
                } catch (UnknownHostException e) {
                    f.completeExceptionally(unresolved(host, portal, what, e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(closed(portal));
        }
        return f;
    }

    private static IscsiException unresolved(String host, String portal, String what, Exception e) {
        return new IscsiException(IscsiError.TRANS, "cannot resolve " + what + " '" + host + "' to connect to " + portal
                + ": " + e.getMessage(), e);
    }

    private static IscsiException closed(String portal) {
        return new IscsiException(IscsiError.TRANS, "connect to " + portal + " refused: the nio transport is closed");
    }

    public int openConnections() {
        return open.size();
    }

    /** Fails connects under way, closes every connection (listeners hear {@code closed(null)}), ends the threads. */
    @Override
    public void close() {
        resolver.shutdownNow();
        loop.close();
    }

    private static SocketAddress local(SocketChannel c) {
        try {
            return c.getLocalAddress();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static SocketAddress remote(SocketChannel c) {
        try {
            return c.getRemoteAddress();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code 127.0.0.1:3260}, {@code [::1]:3260}, {@code [fe80::1%eth0]:3260}. */
    static String format(SocketAddress a) {
        if (!(a instanceof InetSocketAddress s) || s.getAddress() == null) {
            return String.valueOf(a);
        }
        InetAddress ip = s.getAddress();
        if (ip instanceof Inet6Address v6) {
            String text = v6.getHostAddress(); // a zone comes as %eth0 or %2
            return "[" + text + "]:" + s.getPort();
        }
        return ip.getHostAddress() + ":" + s.getPort();
    }
}

package org.kiscsi.transport.example.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.TransportConnection;

/**
 * One non-blocking connect on the selector thread: open (bound to the iface's address when there is
 * one), connect, wait for OP_CONNECT, hand the socket to a new {@link NioConnection}. Whichever comes
 * first wins: the connection, an error, the connect timeout, the end of the loop.
 */
final class ConnectAttempt implements SelectorLoop.Handler {
    private final SelectorLoop loop;
    private final String portal;
    private final InetSocketAddress target;
    private final InetSocketAddress local;
    private final Function<SocketChannel, NioConnection> connection;
    final CompletableFuture<TransportConnection> result = new CompletableFuture<>();
    private SocketChannel channel;
    private SelectionKey key;

    /**
     * @param local the address to bind, or null
     * @param connection makes the connection once the socket is up (on the loop's thread)
     */
    ConnectAttempt(SelectorLoop loop, String portal, InetSocketAddress target, InetSocketAddress local,
            Function<SocketChannel, NioConnection> connection) {
        this.loop = loop;
        this.portal = portal;
        this.target = target;
        this.local = local;
        this.connection = connection;
    }

    /** On the loop's thread. */
    void begin() {
        if (result.isDone()) {
            return; // timed out while queued
        }
        try {
            channel = SocketChannel.open(target.getAddress() instanceof java.net.Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (local != null) {
                try {
                    channel.bind(local);
                } catch (IOException e) {
                    fail(new IscsiException(IscsiError.TRANS, "cannot bind local address " + local.getAddress().getHostAddress()
                            + " to connect to " + portal + ": " + e.getMessage(), e));
                    return;
                }
            }
            if (channel.connect(target)) {
                connected();
            } else {
                key = loop.register(channel, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            fail(refused(e));
        }
    }

    @Override
    public void ready(SelectionKey k) {
        try {
            if (k.isConnectable() && channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            fail(refused(e));
        }
    }

    private void connected() throws IOException {
        NioConnection c = connection.apply(channel);
        if (!result.complete(c)) {
            channel.close(); // timed out meanwhile
            return;
        }
        c.start(key != null ? key : loop.register(channel, 0, c));
    }

    /** The connect timeout passed; on the loop's thread. */
    void timedOut(long millis) {
        fail(new IscsiException(IscsiError.TRANS_TIMEOUT, "connect to " + portal + " timed out after " + millis + " ms"));
    }

    @Override
    public void loopEnded() {
        fail(new IscsiException(IscsiError.TRANS, "connect to " + portal + " aborted: the nio transport closed"));
    }

    @Override
    public void failed(RuntimeException e) {
        fail(refused(e));
    }

    private IscsiException refused(Exception e) {
        String from = local == null ? "" : " from " + local.getAddress().getHostAddress();
        return new IscsiException(IscsiError.TRANS, "cannot connect to " + portal + from + ": " + e, e);
    }

    private void fail(IscsiException e) {
        if (!result.completeExceptionally(e)) {
            return;
        }
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // failing anyway
            }
        }
    }
}

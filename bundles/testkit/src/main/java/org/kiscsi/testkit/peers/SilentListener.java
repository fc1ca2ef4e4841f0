package org.kiscsi.testkit.peers;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.kiscsi.api.Portal;

/**
 * A TCP listener on a free loopback port that accepts every connection and never sends a byte: a
 * "target" whose login is never answered (open-iscsi's ISCSI_ERR_PDU_TIMEOUT, exit code 11). What
 * the initiator sends is read and thrown away, so its writes never block; {@link #bytesReceived()}
 * shows that a Login Request arrived. {@link #close()} closes the listener and every connection.
 */
public final class SilentListener implements AutoCloseable {
    private final ServerSocket server;
    private final Loopback loopback;
    private final List<Socket> accepted = new ArrayList<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final Thread acceptor;
    private final ShutdownCleanup.Handle cleanup;
    private volatile boolean closed;

    private SilentListener(ServerSocket server, Loopback loopback) {
        this.server = server;
        this.loopback = loopback;
        this.acceptor = new Thread(this::acceptLoop, "silent-listener-" + server.getLocalPort());
        acceptor.setDaemon(true);
        this.cleanup = ShutdownCleanup.register("close silent listener on port " + server.getLocalPort(), this::closeSockets);
    }

    /** Listens on a free port of {@code loopback}. */
    public static SilentListener start(Loopback loopback) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName(loopback.address()));
            SilentListener l = new SilentListener(s, loopback);
            l.acceptor.start();
            return l;
        } catch (IOException e) {
            throw new PeerException("cannot listen on a free port of " + loopback.address() + ": " + e.getMessage(), e);
        }
    }

    public String host() {
        return loopback.address();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port} or {@code [::1]:port}. */
    public String hostPort() {
        return loopback.hostPort(port());
    }

    /** The portal, with the tag 1 a target would have announced (none is ever announced here). */
    public Portal portal() {
        return Portal.of(host(), port(), 1);
    }

    /** Connections accepted so far. */
    public int accepted() {
        return acceptedCount.get();
    }

    /** Bytes the peers sent, over all connections. */
    public long bytesReceived() {
        return received.get();
    }

    /** Waits up to {@code timeout} until at least {@code n} connections were accepted. */
    public void awaitAccepted(int n, Duration timeout) {
        Processes.waitUntil(n + " connection(s) accepted on " + hostPort(), timeout, () -> accepted() >= n,
                () -> accepted() + " accepted");
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            synchronized (this) {
                if (closed) {
                    closeQuietly(s);
                    return;
                }
                accepted.add(s);
            }
            acceptedCount.incrementAndGet();
            Thread drain = new Thread(() -> drain(s), "silent-listener-drain-" + s.getPort());
            drain.setDaemon(true);
            drain.start();
        }
    }

    private void drain(Socket s) {
        byte[] buf = new byte[8192];
        try (InputStream in = s.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                received.addAndGet(n);
            }
        } catch (SocketException e) {
            // closed by close() or reset by the peer
        } catch (IOException e) {
            // the connection ended; nothing to answer anyway
        }
    }

    @Override
    public void close() {
        closeSockets();
        cleanup.done();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeSockets() {
        List<Socket> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(accepted);
            accepted.clear();
        }
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to do
        }
        open.forEach(SilentListener::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public String toString() {
        return "silent listener on " + hostPort() + " (" + accepted() + " accepted)";
    }
}

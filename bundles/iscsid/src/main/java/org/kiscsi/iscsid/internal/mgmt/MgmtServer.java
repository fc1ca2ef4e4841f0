package org.kiscsi.iscsid.internal.mgmt;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kiscsi.api.IscsiError;
import org.kiscsi.iscsid.internal.files.FileModes;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtProtocolException;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.mgmt.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The management socket (iscsid's {@code mgmt_ipc_listen}): a unix domain socket in a 0700
 * directory, one request and one answer per connection. {@link #bind} happens early in start-up,
 * {@link #start} (the event loop) last, as in iscsid; clients that connect in between wait in the
 * backlog. The socket file is removed on close only while it is still the one this server bound.
 */
public final class MgmtServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MgmtServer.class);

    private final Path socket;
    private final ServerSocketChannel channel;
    private final Object fileKey;
    private volatile boolean closed;
    private Thread acceptor;

    private MgmtServer(Path socket, ServerSocketChannel channel, Object fileKey) {
        this.socket = socket;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Binds {@code socket}: its directory is created or made 0700, a stale socket is removed, a
     * live daemon's is left alone.
     *
     * @throws SocketInUseException when another daemon answers on it
     * @throws IOException when it cannot be bound; the message names the path
     */
    public static MgmtServer bind(Path socket, Duration probeTimeout) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (FileModes.ensurePrivateDirectory(dir)) {
            LOG.info("management socket directory {} was open to others: made it 0700", dir);
        }
        if (SocketProbe.clear(socket, probeTimeout)) {
            LOG.info("removed the stale management socket {} (no daemon answered on it)", socket);
        }
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket), 16);
            Files.setPosixFilePermissions(socket, FileModes.FILE);
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new MgmtServer(socket, ch, key);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot bind the management socket " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /**
     * Starts accepting: each connection is served on {@code workers}; a client that has not sent a
     * whole request within {@code idleTimeout}, or whose request is not answered within
     * {@code answerTimeout}, is cut off.
     */
    public synchronized void start(RequestDispatcher dispatcher, PeerCheck peers, ExecutorService workers,
            ScheduledExecutorService timers, Duration idleTimeout, Duration answerTimeout) {
        if (acceptor != null) {
            throw new IllegalStateException("already started");
        }
        Connection.Settings settings = new Connection.Settings(dispatcher, peers, timers, idleTimeout, answerTimeout);
        acceptor = new Thread(() -> acceptLoop(settings, workers), "iscsid-mgmt-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop(Connection.Settings settings, ExecutorService workers) {
        while (!closed) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.warn("management socket {}: accept failed: {}", socket, e.toString());
                sleepQuietly();
                continue;
            }
            try {
                workers.execute(() -> new Connection(client, settings).serve());
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(client);
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100); // a failing accept must not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting and removes the socket file, if it is still ours. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(channel);
        if (acceptor != null) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(a.fileKey(), fileKey)) {
                Files.deleteIfExists(socket);
            } else {
                LOG.warn("management socket {} was replaced by another; leaving it", socket);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("could not remove the management socket {}: {}", socket, e.toString());
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing after a failure: the failure is what gets reported
        }
    }

    /** One client connection: peer check, one request, one answer. */
    private static final class Connection {
        record Settings(RequestDispatcher dispatcher, PeerCheck peers, ScheduledExecutorService timers,
                Duration idleTimeout, Duration answerTimeout) {
        }

        private final SocketChannel ch;
        private final Settings s;

        Connection(SocketChannel ch, Settings s) {
            this.ch = ch;
            this.s = s;
        }

        void serve() {
            ScheduledFuture<?> cutOff = s.timers().schedule(() -> closeQuietly(ch), s.idleTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            try (ch) {
                InputStream in = Channels.newInputStream(ch);
                UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
                if (!s.peers().allows(peer)) {
                    LOG.warn("management request from user {} refused: only {} may use the daemon",
                            peer == null ? "?" : peer.user().getName(), s.peers().describe());
                    send(MgmtResponse.error(IscsiError.ACCESS.code(), "permission denied: user "
                            + (peer == null ? "?" : peer.user().getName()) + " may not manage this daemon"));
                    drain(in);
                    return;
                }
                MgmtRequest request;
                try {
                    request = MgmtProtocol.readRequest(in);
                } catch (UnsupportedVersionException e) {
                    send(MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), e.getMessage()));
                    return;
                } catch (EOFException e) {
                    return; // a probe, or a client that gave up
                } catch (MgmtProtocolException e) {
                    send(MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), "invalid request: " + e.getMessage()));
                    drain(in);
                    return;
                }
                cutOff.cancel(false);
                LOG.debug("management request {} {}", request.op(), request.args().keySet());
                Reply reply;
                try {
                    reply = s.dispatcher().dispatch(request).toCompletableFuture()
                            .get(s.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    reply = Reply.of(MgmtResponse.error(IscsiError.REQ_TIMEDOUT.code(), request.op()
                            + " did not complete within " + s.answerTimeout().toSeconds() + " s"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    reply = Reply.of(RequestDispatcher.errorFor(request.op(), e.getCause()));
                }
                send(reply.response());
                reply.afterSent().run();
            } catch (IOException e) {
                LOG.debug("management connection ended: {}", e.toString());
            } finally {
                cutOff.cancel(false);
            }
        }

        /**
         * Reads what the client sent that was not read (at most 64 KiB; the idle cut-off bounds the
         * time): closing with unread bytes would reset the connection before the client reads the answer.
         */
        private static void drain(InputStream in) {
            byte[] b = new byte[4096];
            try {
                for (int total = 0, n; total < 65536 && (n = in.read(b)) >= 0; total += n) {
                    // discard
                }
            } catch (IOException ignored) {
                // the client went away: nothing left to protect
            }
        }

        private void send(MgmtResponse r) throws IOException {
            OutputStream out = Channels.newOutputStream(ch);
            MgmtProtocol.writeResponse(r, out);
            out.flush();
            ch.shutdownOutput();
        }
    }
}

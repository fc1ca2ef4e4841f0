package org.kiscsi.iscsid.internal.mgmt;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import org.kiscsi.iscsid.internal.files.FileModes;
import org.kiscsi.mgmt.MgmtHandler;
import org.kiscsi.mgmt.MgmtProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management socket (iscsid's {@code mgmt_ipc_listen}): a unix domain socket in a 0700
 * directory, one request and one answer (after progress frames, see {@link MgmtProtocol}) per
 * connection, served by one selector thread ({@link SocketLoop}) within {@link ServerLimits}. {@link #bind} happens early in start-up,
 * {@link #start} (the event loop) last, as in iscsid; clients that connect in between wait in the
 * backlog. The socket file is removed on close only while it is still the one this server bound.
 */
public final class MgmtServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MgmtServer.class);

    private final Path socket;
    private final ServerSocketChannel channel;
    private final Object fileKey;
    private volatile boolean closed;
    private SocketLoop loop;
    private Thread loopThread;

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
            ch.bind(UnixDomainSocketAddress.of(socket), 64);
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
     * Starts answering: one selector thread reads every connection; whole requests go to
     * {@code handler} on {@code workers}; {@code limits} keep slow, silent and hostile clients from
     * blocking others.
     */
    public synchronized void start(MgmtHandler handler, PeerCheck peers, Executor workers, ServerLimits limits)
            throws IOException {
        if (loopThread != null) {
            throw new IllegalStateException("already started");
        }
        loop = new SocketLoop(channel, handler, peers, workers, limits);
        loopThread = new Thread(loop, "iscsid-mgmt");
        loopThread.setDaemon(true);
        loopThread.start();
    }

    /** Stops accepting and removes the socket file, if it is still ours. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop != null) {
            loop.stop();
        }
        closeQuietly(channel);
        if (loopThread != null) {
            try {
                loopThread.join(5_000);
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
}

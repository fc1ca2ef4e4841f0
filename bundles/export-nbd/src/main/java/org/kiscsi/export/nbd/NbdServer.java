package org.kiscsi.export.nbd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NBD server: listeners (Unix sockets, TCP) and connections on one selector thread of its own, never
 * a kiscsi I/O thread. Exports can be added and removed while it runs; removing one closes its
 * connections. {@link #close()} stops listening, lets connections answer what they have outstanding
 * (at most {@link NbdServerOptions#closeGrace}), then closes them.
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NbdServer.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final NbdServerOptions options;
    private final Exports exports = new Exports();
    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<NbdConnection> woken = new ConcurrentLinkedQueue<>();
    /** A wake-up is on its way: completions arriving meanwhile only queue (one selector wake-up serves a burst). */
    private final java.util.concurrent.atomic.AtomicBoolean wakeupPending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Set<NbdConnection> connections = ConcurrentHashMap.newKeySet();
    /**
     * READ buffers of every connection (selector thread only): kept across connections, since a tool such
     * as nbdcopy opens new ones for each copy, and fresh direct buffers are costly (zeroed, freed by GC).
     */
    private final BufferPool pool;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    private volatile boolean closing;

    private NbdServer(NbdServerOptions options) throws IOException {
        this.options = options;
        this.pool = new BufferPool(Math.min(4 * options.maxHeldBytes(), BufferPool.MAX_KEPT));
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "kiscsi-nbd-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
    }

    /** A running server with no listener and no export yet. */
    public static NbdServer start(NbdServerOptions options) {
        try {
            NbdServer s = new NbdServer(options);
            s.thread.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("NBD server: cannot open a selector", e);
        }
    }

    BufferPool bufferPool() {
        return pool;
    }

    /** Listens on TCP {@code address} (port 0: any free one); the address bound. */
    public InetSocketAddress listenTcp(InetSocketAddress address) {
        try {
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.valueOf(
                    address.getAddress() instanceof java.net.Inet6Address ? "INET6" : "INET"));
            ch.bind(address);
            register(ch);
            return (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("NBD server: cannot listen on TCP " + address + ": " + e.getMessage(), e);
        }
    }

    /** Listens on the Unix socket {@code path}, in a directory of mode 0700, as a socket of mode 0600. */
    public Path listenUnix(Path path) {
        Path socket = UnixSockets.prepare(path);
        try {
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket));
            UnixSockets.restrict(socket);
            synchronized (socketFiles) {
                socketFiles.add(socket);
            }
            register(ch);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("NBD server: cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    public void addExport(NbdExport export) {
        exports.add(export);
        LOG.info("NBD export '{}': {} bytes in blocks of {}{}", export.name(), export.size(), export.minBlock(),
                export.readOnly() ? ", read-only" : "");
    }

    /** Removes the export and closes its connections (their outstanding requests are dropped). */
    public Optional<NbdExport> removeExport(String name) {
        Optional<NbdExport> e = exports.remove(name);
        e.ifPresent(x -> onSelector(() -> connections.stream().filter(c -> c.export() == x).toList()
                .forEach(c -> c.close("export '" + name + "' was removed"))));
        return e;
    }

    public List<NbdExport> exports() {
        return exports.list();
    }

    /** Clients in the transmission phase on {@code exportName}. */
    public long clients(String exportName) {
        return connections.stream().filter(c -> c.export() != null && c.export().name().equals(exportName)).count();
    }

    public NbdServerOptions options() {
        return options;
    }

    Exports registry() {
        return exports;
    }

    private void register(ServerSocketChannel ch) throws IOException {
        ch.configureBlocking(false);
        CompletableFuture<Void> done = new CompletableFuture<>();
        onSelector(() -> {
            try {
                ch.register(selector, SelectionKey.OP_ACCEPT);
                synchronized (listeners) {
                    listeners.add(ch);
                }
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ch.close();
            throw new IOException("registering the listener with the selector: " + e, e);
        }
        LOG.info("NBD server listening on {}", ch.getLocalAddress());
    }

    private void onSelector(Runnable r) {
        tasks.add(r);
        selector.wakeup();
    }

    /** Any thread: the connection has completed replies to send. */
    void wake(NbdConnection c) {
        woken.add(c);
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    void attached(NbdConnection c) {
        LOG.debug("NBD client {} on export '{}'", c.peer(), c.export().name());
    }

    void detached(NbdConnection c) {
        connections.remove(c);
    }

    private void loop() {
        long lastStallCheck = System.nanoTime();
        long closeDeadline = Long.MAX_VALUE;
        try {
            while (true) {
                selector.select(1000);
                wakeupPending.set(false); // before draining: a completion queued after this wakes the selector again
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept((ServerSocketChannel) k.channel());
                        continue;
                    }
                    NbdConnection c = (NbdConnection) k.attachment();
                    if (k.isReadable()) {
                        c.readable();
                    }
                    if (k.isValid() && k.isWritable()) {
                        c.writable();
                    }
                }
                selector.selectedKeys().clear();
                NbdConnection w;
                while ((w = woken.poll()) != null) {
                    if (!w.closed()) {
                        w.writable();
                    }
                }
                long now = System.nanoTime();
                if (now - lastStallCheck > 1_000_000_000L) {
                    lastStallCheck = now;
                    for (NbdConnection c : List.copyOf(connections)) {
                        c.checkStall(now);
                    }
                }
                if (closing) {
                    if (closeDeadline == Long.MAX_VALUE) {
                        closeDeadline = now + options.closeGrace().toNanos();
                        closeListeners();
                        List.copyOf(connections).forEach(NbdConnection::shutdown);
                    }
                    if (connections.isEmpty() || now > closeDeadline) {
                        List.copyOf(connections).forEach(c -> c.close("the server is closing"));
                        break;
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.error("NBD server: selector failed: {}", e.getMessage(), e);
        } finally {
            closeListeners();
            List.copyOf(connections).forEach(c -> c.close("the server stopped"));
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("NBD server: closing the selector: {}", e.getMessage());
            }
        }
    }

    private void accept(ServerSocketChannel listener) throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            ch.configureBlocking(false);
            SocketAddress remote = ch.getRemoteAddress();
            String peer = remote instanceof InetSocketAddress ? remote.toString() : "on " + listener.getLocalAddress();
            if (remote instanceof InetSocketAddress) {
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
            NbdConnection c = new NbdConnection(this, ch, peer, options, pool);
            connections.add(c);
            c.start(ch.register(selector, 0, c));
        }
    }

    private void closeListeners() {
        synchronized (listeners) {
            for (ServerSocketChannel l : listeners) {
                try {
                    l.close();
                } catch (IOException e) {
                    LOG.debug("NBD server: closing a listener: {}", e.getMessage());
                }
            }
            listeners.clear();
        }
        synchronized (socketFiles) {
            socketFiles.forEach(UnixSockets::remove);
            socketFiles.clear();
        }
    }

    /** Stops listening and closes connections after they answer what is outstanding. Waits for the thread. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(options.closeGrace().toMillis() + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

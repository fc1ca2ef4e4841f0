package org.kiscsi.export.nbd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The NBD server against a hostile client: whatever bytes a client sends in the handshake, option
 * haggling (EXPORT_NAME, LIST, INFO, GO, STRUCTURED_REPLY, meta contexts, unknown options) and
 * transmission (requests of every type, flags, offsets and lengths, WRITE payloads) on one
 * connection, the server answers or disconnects that client; once the client has sent everything
 * and closed its side, the connection ends within seconds, and the server goes on serving others.
 */
class NbdFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final MemoryDevice THIN = new MemoryDevice(512, 2048, true);
    private static final MemoryDevice FULL = new MemoryDevice(4096, 64, false);
    private static final Path SOCKET = start();

    private static Path start() {
        try {
            Path dir = Files.createTempDirectory("kiscsi-nbd-fuzz");
            NbdServer server = NbdServer.start(new NbdServerOptions(4, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1)));
            server.addExport(NbdExport.open("thin", "a thin LU", THIN, false).toCompletableFuture().get());
            server.addExport(NbdExport.open("full", "", FULL, true).toCompletableFuture().get());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            return server.listenUnix(dir.resolve("nbd.sock"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the NBD server to fuzz", e);
        }
    }

    /** Input: the client's bytes after the server's greeting (client flags, options, requests). */
    @FuzzTest(maxDuration = "30s")
    void connection(byte[] input) throws IOException {
        try (SocketChannel ch = open(); Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(input);
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            boolean shut = false;
            SelectionKey key = ch.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server neither finished nor closed the connection within " + LIMIT
                            + " (" + out.remaining() + " bytes not taken)");
                }
                sel.select(100);
                sel.selectedKeys().clear();
                if (out.hasRemaining()) {
                    try {
                        ch.write(out);
                    } catch (IOException e) {
                        out.position(out.limit()); // the server hung up: it may, on bad input
                    }
                }
                if (!out.hasRemaining() && !shut) {
                    shut = true;
                    try {
                        ch.shutdownOutput();
                    } catch (IOException e) {
                        // closed already
                    }
                    key.interestOps(SelectionKey.OP_READ);
                }
                int n;
                try {
                    n = ch.read(in.clear());
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    break;
                }
            }
        } finally {
            THIN.calls.clear();
            FULL.calls.clear();
        }
        // the server still greets a new client: nothing this one sent stopped it
        try (SocketChannel probe = open()) {
            probe.close();
        }
    }

    /** A connection whose greeting has been read (within the limit). */
    private static SocketChannel open() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(SOCKET));
        ch.configureBlocking(false);
        ByteBuffer greeting = ByteBuffer.allocate(18);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (greeting.hasRemaining()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the server sent no greeting within " + LIMIT);
                }
                sel.select(100);
                sel.selectedKeys().clear();
                if (ch.read(greeting) < 0) {
                    throw new AssertionError("the server closed before its greeting");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (greeting.getLong(0) != Nbd.NBDMAGIC || greeting.getLong(8) != Nbd.IHAVEOPT) {
            throw new AssertionError("not an NBD greeting");
        }
        return ch;
    }
}

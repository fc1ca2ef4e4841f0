package org.kiscsi.transport.tcp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.kiscsi.api.Portal;

/**
 * A peer that accepts one connection and then does only what a test tells it: write bytes, close,
 * or nothing at all (a peer that never reads). Reads nothing, so a test controls every byte.
 */
final class ScriptedPeer implements AutoCloseable {
    private final ServerSocket server;
    private final CompletableFuture<Socket> accepted = new CompletableFuture<>();
    /** Bytes written so far, updated after each write call returns. */
    final AtomicLong written = new AtomicLong();

    ScriptedPeer(int sendBufferSize, int receiveBufferSize) throws IOException {
        server = new ServerSocket();
        if (receiveBufferSize > 0) {
            server.setReceiveBufferSize(receiveBufferSize); // inherited by the accepted socket
        }
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        Thread t = new Thread(() -> {
            try {
                Socket s = server.accept();
                if (sendBufferSize > 0) {
                    s.setSendBufferSize(sendBufferSize);
                }
                accepted.complete(s);
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        }, "scripted-peer-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    ScriptedPeer() throws IOException {
        this(0, 0);
    }

    Portal portal() {
        return Portal.of(InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort());
    }

    Socket socket() throws Exception {
        return accepted.get(10, TimeUnit.SECONDS);
    }

    /** Writes {@code bytes} in one go (blocking while the transport does not read). */
    void write(byte[] bytes) throws Exception {
        OutputStream out = socket().getOutputStream();
        out.write(bytes);
        out.flush();
        written.addAndGet(bytes.length);
    }

    /** Writes from a background thread, chunk after chunk, so a test can watch {@link #written} stall. */
    Thread writeInBackground(byte[][] chunks) {
        Thread t = new Thread(() -> {
            try {
                for (byte[] c : chunks) {
                    write(c);
                }
            } catch (Exception e) {
                // the test closed the connection
            }
        }, "scripted-peer-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    void closeConnection() throws Exception {
        socket().close();
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = accepted.isDone() && !accepted.isCompletedExceptionally() ? accepted.join() : null;
        if (s != null) {
            s.close();
        }
        accepted.completeExceptionally(new IOException("peer closed"));
    }
}

// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends one request to a daemon's management socket and waits, at most {@code timeout}, for the
 * answer. Blocking: this is the command-line edge.
 */
public final class MgmtClient {
    private final Path socket;
    private final Duration timeout;

    public MgmtClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * @throws java.net.ConnectException when no daemon listens on the socket
     * @throws java.net.SocketTimeoutException when the daemon did not answer in time
     * @throws MgmtProtocolException when the answer is not a valid frame
     */
    public MgmtResponse call(MgmtRequest request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MgmtProtocol.writeRequest(request, out);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (java.net.SocketException e) {
                java.net.ConnectException c = new java.net.ConnectException(
                        "no daemon answers on " + socket + ": " + e.getMessage());
                c.initCause(e);
                throw c;
            }
            ch.configureBlocking(false);
            ByteBuffer send = ByteBuffer.wrap(out.toByteArray());
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new java.net.SocketTimeoutException("no answer from the daemon on " + socket
                            + " within " + timeout.toMillis() + " ms");
                }
                selector.select(Math.max(1, left / 1_000_000));
                if (send.hasRemaining() && key.isWritable()) {
                    ch.write(send);
                    if (!send.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                } else if (key.isReadable()) {
                    int n = ch.read(buf.clear());
                    if (n > 0) {
                        answer.write(buf.array(), 0, n);
                        MgmtResponse r = tryParse(answer.toByteArray());
                        if (r != null) {
                            return r;
                        }
                    } else if (n < 0) {
                        MgmtResponse r = tryParse(answer.toByteArray());
                        if (r == null) {
                            throw new EOFException("the daemon on " + socket + " closed the connection without an answer");
                        }
                        return r;
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /** The response if the bytes hold a whole frame, null when more bytes are needed. */
    private static MgmtResponse tryParse(byte[] bytes) throws IOException {
        if (bytes.length < 12) {
            return null;
        }
        long length = ByteBuffer.wrap(bytes, 8, 4).getInt() & 0xFFFFFFFFL;
        if (length <= MgmtProtocol.MAX_PAYLOAD && bytes.length < 12 + length) {
            return null;
        }
        return MgmtProtocol.readResponse(new ByteArrayInputStream(bytes));
    }
}

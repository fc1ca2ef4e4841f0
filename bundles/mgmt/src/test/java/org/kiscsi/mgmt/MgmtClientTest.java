package org.kiscsi.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MgmtClientTest {
    @TempDir
    Path dir;

    @Test
    void callSendsTheRequestAndReadsTheAnswer() throws Exception {
        Path sock = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread t = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    MgmtRequest r = MgmtProtocol.readRequest(Channels.newInputStream(c));
                    MgmtProtocol.writeResponse(MgmtResponse.ok("pong " + r.op(), List.of(Map.of("k", "v"))),
                            Channels.newOutputStream(c));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            MgmtResponse r = new MgmtClient(sock, Duration.ofSeconds(5)).call(MgmtRequest.of(MgmtOp.STATUS));
            assertEquals("pong status", r.message());
            assertEquals("v", r.rows().get(0).get("k"));
            t.join(5000);
        }
    }

    @Test
    void silentDaemonTimesOut() throws Exception {
        Path sock = dir.resolve("silent");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class,
                    () -> new MgmtClient(sock, Duration.ofMillis(300)).call(MgmtRequest.of(MgmtOp.STATUS)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > 5000) {
                throw new AssertionError("timeout took " + ms + " ms");
            }
        }
    }

    @Test
    void noDaemonIsAConnectError() {
        assertThrows(ConnectException.class,
                () -> new MgmtClient(dir.resolve("none"), Duration.ofSeconds(1)).call(MgmtRequest.of(MgmtOp.STATUS)));
    }
}

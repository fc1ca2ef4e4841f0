package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.RecordingListener;

/**
 * A peer that resets the connection (RST): the connection ends with the reset as its cause, and
 * MINA's ERROR line ("Exception occured while trying to read, closing session") is not logged;
 * kiscsi's own line naming the connection is (INFO).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerResetLogTest {
    @Test
    void aPeerResetEndsTheConnectionWithoutMinasErrorLine() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        TcpTransport tcp = new TcpTransport();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            RecordingListener listener = new RecordingListener();
            TransportConnection c = tcp.connect(ConnectRequest.to(Portal.of("127.0.0.1", server.getLocalPort()), Duration.ofSeconds(5)),
                    listener).toCompletableFuture().get(10, TimeUnit.SECONDS);
            System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err as it is then
            try (Socket s = server.accept()) {
                s.setSoLinger(true, 0); // close sends RST
            }
            Throwable cause = listener.closed.get(10, TimeUnit.SECONDS);
            assertNotNull(cause, "closed without a cause");
            assertTrue(String.valueOf(cause.getMessage()).contains("reset") || String.valueOf(cause.getCause()).contains("reset"),
                    String.valueOf(cause));
            assertFalse(c.isOpen());
        } finally {
            System.setErr(err);
            tcp.close();
        }
        String log = said.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("Exception occured while trying to read"), log);
        assertFalse(log.contains("ERROR"), log);
        assertEquals(0, tcp.openConnections());
    }

    @Test
    void onlyAResetIsAPeerReset() {
        assertTrue(org.kiscsi.transport.tcp.internal.PeerResets.isPeerReset(new java.net.SocketException("Connection reset")));
        assertTrue(org.kiscsi.transport.tcp.internal.PeerResets.isPeerReset(new java.io.IOException("Connection reset by peer")));
        assertFalse(org.kiscsi.transport.tcp.internal.PeerResets.isPeerReset(new java.io.IOException("No buffer space available")));
        assertFalse(org.kiscsi.transport.tcp.internal.PeerResets.isPeerReset(new java.io.IOException((String) null)));
    }
}

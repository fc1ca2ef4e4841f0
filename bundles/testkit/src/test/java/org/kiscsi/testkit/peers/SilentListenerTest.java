package org.kiscsi.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SilentListener}: accepts, reads, counts and never answers; gone after close. */
class SilentListenerTest {
    @Test
    void acceptsCountsAndNeverAnswersSoAReadTimesOut() throws Exception {
        try (SilentListener l = SilentListener.start(Loopback.IPV4); Socket s = new Socket()) {
            s.connect(new InetSocketAddress(l.host(), l.port()), 2000);
            l.awaitAccepted(1, Duration.ofSeconds(2));
            s.getOutputStream().write(new byte[48]); // the size of a Login Request's header
            s.setSoTimeout(500);
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            assertThrows(SocketTimeoutException.class, in::read, "not a byte comes back");
            assertTrue(System.nanoTime() - t0 >= 450_000_000L, "the read waited out its timeout");
            Processes.waitUntil("48 bytes received", Duration.ofSeconds(2), () -> l.bytesReceived() == 48, () -> l.toString());
            assertEquals(1, l.accepted());
        }
    }

    @Test
    void countsEveryConnectionAndKeepsThemOpen() throws Exception {
        try (SilentListener l = SilentListener.start(Loopback.IPV4); Socket a = new Socket(l.host(), l.port());
                Socket b = new Socket(l.host(), l.port())) {
            l.awaitAccepted(2, Duration.ofSeconds(2));
            assertEquals(2, l.accepted());
            a.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> a.getInputStream().read(), "still open, still silent");
        }
    }

    @Test
    void closeEndsTheConnectionsAndTheListener() throws Exception {
        SilentListener l = SilentListener.start(Loopback.IPV4);
        int port = l.port();
        try (Socket s = new Socket(l.host(), port)) {
            l.awaitAccepted(1, Duration.ofSeconds(2));
            l.close();
            s.setSoTimeout(2000);
            int r;
            try {
                r = s.getInputStream().read();
            } catch (IOException e) {
                r = -1; // reset: closed as well
            }
            assertEquals(-1, r, "the accepted connection is closed");
        }
        assertThrows(ConnectException.class, () -> new Socket(Loopback.IPV4.address(), port).close(), "nothing listens any more");
    }
}

package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.testkit.contract.RecordingListener;

/**
 * A portal that never answers: a listening socket whose accept queue is full (Linux then drops
 * new SYNs), so the connect hangs until the request's timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectTimeoutTest {
    private final TcpTransport tcp = new TcpTransport();
    private final List<Socket> fillers = new ArrayList<>();
    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        tcp.close();
        for (Socket s : fillers) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void timesOutWithTransTimeoutNamingThePortal() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        server = new ServerSocket();
        server.bind(new InetSocketAddress(lo, 0), 1);
        boolean full = false;
        for (int i = 0; i < 16 && !full; i++) { // never accepted: fills the queue
            Socket s = new Socket();
            try {
                s.connect(server.getLocalSocketAddress(), 300);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                full = true;
            }
        }
        assertTrue(full, "the accept queue of a backlog-1 listener never filled up after 16 connections");

        Portal portal = Portal.of(lo.getHostAddress(), server.getLocalPort());
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> tcp
                .connect(ConnectRequest.to(portal, Duration.ofMillis(700)), new RecordingListener()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.TRANS_TIMEOUT, ie.error(), ie.getMessage());
        assertTrue(ie.getMessage().contains(portal.hostPort()), ie.getMessage());
        assertTrue(ms >= 650 && ms < 5_000, "timed out after " + ms + " ms, expected about 700");
        assertEquals(0, tcp.openConnections());
    }
}

package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;

/** IPv6 on [::1] and binding the local end to a chosen source address. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AddressingTest {
    private final TcpTransport tcp = new TcpTransport();
    private TcpEchoPeer peer;

    @AfterEach
    void close() {
        tcp.close();
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void talksIpv6OnLoopbackWithDigests() throws Exception {
        peer = new TcpEchoPeer(InetAddress.getByName("::1"));
        Portal portal = Portal.parse("[::1]:" + peer.port());
        RecordingListener l = new RecordingListener();
        TransportConnection c = tcp.connect(ConnectRequest.to(portal, Duration.ofSeconds(5)), l).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals("[::1]:" + peer.port(), c.remoteAddress());
        assertTrue(c.localAddress().startsWith("[::1]:"), c.localAddress());
        LinkSettings digests = new LinkSettings(true, true, 65536);
        peer.configure(digests);
        c.configure(digests);
        EchoRoundTrip.check(c, l, 5);
        assertTrue(peer.problems.isEmpty(), peer.problems.toString());
    }

    @Test
    void bindsTheLocalEndToTheGivenSourceAddress() throws Exception {
        peer = TcpEchoPeer.onLoopback();
        ConnectRequest r = new ConnectRequest(peer.portal(), Optional.of("127.0.0.2"), Duration.ofSeconds(5), Map.of());
        RecordingListener l = new RecordingListener();
        TransportConnection c = tcp.connect(r, l).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(c.localAddress().startsWith("127.0.0.2:"), c.localAddress());
        EchoRoundTrip.check(c, l, 1);
        assertEquals(InetAddress.getByName("127.0.0.2"), peer.clients.get(0), "the peer must see the bound source address");
    }

    @Test
    void aSourceAddressNotOnThisHostFailsNamingThePortal() throws Exception {
        peer = TcpEchoPeer.onLoopback();
        // 192.0.2.0/24 is TEST-NET-1: never assigned to this host, so bind() fails before any packet
        ConnectRequest r = new ConnectRequest(peer.portal(), Optional.of("192.0.2.1"), Duration.ofSeconds(5), Map.of());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> tcp.connect(r, new RecordingListener()).toCompletableFuture().get(5, TimeUnit.SECONDS));
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.TRANS, ie.error());
        assertTrue(ie.getMessage().contains(peer.portal().hostPort()) && ie.getMessage().contains("192.0.2.1"), ie.getMessage());
        assertEquals(0, peer.connectionsAccepted());
    }
}

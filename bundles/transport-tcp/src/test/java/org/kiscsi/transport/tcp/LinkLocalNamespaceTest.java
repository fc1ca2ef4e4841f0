package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.RecordingListener;

/**
 * A link-local IPv6 portal with a zone id ({@code fe80::2%veth}): the peer runs in its own JVM
 * inside a network namespace reached over a veth pair. Needs root and iproute2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkLocalNamespaceTest {
    @Test
    void connectsToALinkLocalPortalThroughItsZone() throws Exception {
        String namespace;
        try (NetNamespace ns = NetNamespace.withVethPair();
                PeerProcess peer = PeerProcess.start(ns, NetNamespace.PEER_ADDRESS + "%" + ns.peerInterface);
                TcpTransport tcp = new TcpTransport()) {
            namespace = ns.name;
            Portal portal = Portal.parse("[" + NetNamespace.PEER_ADDRESS + "%" + ns.hostInterface + "]:" + peer.port);
            RecordingListener l = new RecordingListener();
            TransportConnection c = tcp.connect(ConnectRequest.to(portal, Duration.ofSeconds(5)), l).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("[fe80::2%" + ns.hostInterface + "]:" + peer.port, c.remoteAddress());
            assertTrue(c.localAddress().startsWith("[fe80::1%" + ns.hostInterface + "]:"), c.localAddress());
            EchoRoundTrip.check(c, l, 3);
            c.close();
            assertNull(l.closed.get(5, TimeUnit.SECONDS));

            // without its zone a link-local address names no interface: a clean TRANS error
            Portal noZone = Portal.of(NetNamespace.PEER_ADDRESS, peer.port);
            ExecutionException e = assertThrows(ExecutionException.class, () -> tcp
                    .connect(ConnectRequest.to(noZone, Duration.ofSeconds(3)), new RecordingListener()).toCompletableFuture().get(10, TimeUnit.SECONDS));
            IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
            assertTrue(ie.error() == IscsiError.TRANS || ie.error() == IscsiError.TRANS_TIMEOUT, ie.error() + ": " + ie.getMessage());
            assertTrue(ie.getMessage().contains(noZone.hostPort()), ie.getMessage());
        }
        assertFalse(NetNamespace.exists(namespace), "namespace " + namespace + " was left behind");
    }
}

package org.kiscsi.transport.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;

/** The two addressing capabilities the example declares, acted on: IPv6 portals and the iface's source address. */
class AddressingTest {
    private final NioTransport nio = new NioTransport();
    private TcpEchoPeer peer;

    @AfterEach
    void close() {
        nio.close();
        if (peer != null) {
            peer.close();
        }
    }

    private TransportConnection connect(Optional<String> local, RecordingListener l) throws Exception {
        return nio.connect(new ConnectRequest(peer.portal(), local, Duration.ofSeconds(5), Map.of()), l)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void echo(TransportConnection c, RecordingListener l) throws Exception {
        c.send(Pdus.build(c, Pdus.OP_NOP_OUT, 3, 0, 1000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        PduBuffer back = l.next(10_000);
        assertNotNull(back, "no echo");
        assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, 3, 0, 1000));
        back.release();
    }

    @Test
    void connectsToAnIpv6Portal() throws Exception {
        peer = new TcpEchoPeer(InetAddress.getByName("::1"));
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(Optional.empty(), l);
        assertTrue(c.remoteAddress().equals("[0:0:0:0:0:0:0:1]:" + peer.port()) || c.remoteAddress().equals("[::1]:" + peer.port()),
                c.remoteAddress());
        echo(c, l);
        c.close();
    }

    @Test
    void bindsTheIfaceAddress() throws Exception {
        peer = TcpEchoPeer.onLoopback();
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(Optional.of("127.0.0.2"), l);
        assertTrue(c.localAddress().startsWith("127.0.0.2:"), c.localAddress());
        echo(c, l);
        assertEquals(InetAddress.getByName("127.0.0.2"), peer.clients.get(0));
        c.close();
    }

    @Test
    void anAddressThatCannotBeBoundFailsNamingIt() throws Exception {
        peer = TcpEchoPeer.onLoopback();
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect(Optional.of("192.0.2.77"), new RecordingListener()));
        IscsiException cause = (IscsiException) e.getCause();
        assertEquals(IscsiError.TRANS, cause.error());
        assertTrue(cause.getMessage().contains("192.0.2.77") && cause.getMessage().contains(peer.portal().hostPort()),
                cause.getMessage());
        assertEquals(0, peer.connectionsAccepted());
    }
}

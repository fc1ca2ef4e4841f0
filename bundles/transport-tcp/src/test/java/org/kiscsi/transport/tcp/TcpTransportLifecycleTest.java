package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;
import org.kiscsi.transport.tcp.internal.TcpTransportComponent;

/** A transport owns its threads and connections from construction to close; so does the DS component. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpTransportLifecycleTest {
    private final TcpEchoPeer peer = newPeer();

    private static TcpEchoPeer newPeer() {
        try {
            return TcpEchoPeer.onLoopback();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    @Test
    void closeEndsConnectionsAndThreads() throws Exception {
        TcpTransport tcp = new TcpTransport(TcpOptions.DEFAULTS.withIoThreads(2));
        String threads = tcp.toString().substring("TcpTransport[".length(), tcp.toString().indexOf('*'));
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        TransportConnection ca = connect(tcp, a);
        TransportConnection cb = connect(tcp, b);
        EchoRoundTrip.check(ca, a, 2);
        assertEquals(2, tcp.openConnections());
        assertTrue(liveThreads(threads) > 0, "no I/O thread named " + threads + "* while connected");

        tcp.close();
        assertNull(a.closed.get(5, TimeUnit.SECONDS), "closing the transport is a local close");
        assertNull(b.closed.get(5, TimeUnit.SECONDS));
        ca.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
        cb.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(ca.isOpen() || cb.isOpen());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (liveThreads(threads) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, liveThreads(threads), "threads left after close: " + threadNames(threads));

        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(tcp, new RecordingListener()));
        IscsiException ie = assertInstanceOf(IscsiException.class, e.getCause());
        assertEquals(IscsiError.TRANS, ie.error());
        assertTrue(ie.getMessage().contains(peer.portal().hostPort()), ie.getMessage());
        tcp.close(); // idempotent
    }

    @Test
    void dsComponentServesTcpUntilDeactivated() throws Exception {
        TcpTransportComponent component = new TcpTransportComponent();
        component.activate(defaults());
        TransportProvider provider = component;
        assertEquals("tcp", provider.name());
        assertTrue(provider.capabilities().containsAll(List.of(TransportCapability.IPV6, TransportCapability.BIND_LOCAL_ADDRESS,
                TransportCapability.DIGESTS, TransportCapability.RECEIVE_PLACEMENT)));
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(provider, l);
        EchoRoundTrip.check(c, l, 1);
        component.deactivate();
        assertNull(l.closed.get(5, TimeUnit.SECONDS));
        assertFalse(c.isOpen());
    }

    @Test
    void theComponentsDefaultsAreTheLibrarysDefaults() {
        // a configuration without the key must behave as a plain-Java TcpTransport with DEFAULTS
        assertEquals(TcpOptions.DEFAULTS, TcpTransportComponent.options(defaults()));
    }

    private TransportConnection connect(TransportProvider t, RecordingListener l) throws Exception {
        return t.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The component's configuration with every default, as DS passes it without a configuration. */
    private static TcpTransportComponent.Config defaults() {
        return (TcpTransportComponent.Config) Proxy.newProxyInstance(TcpTransportComponent.Config.class.getClassLoader(),
                new Class<?>[] {TcpTransportComponent.Config.class}, (proxy, method, args) -> method.getDefaultValue());
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    private static List<String> threadNames(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
    }
}

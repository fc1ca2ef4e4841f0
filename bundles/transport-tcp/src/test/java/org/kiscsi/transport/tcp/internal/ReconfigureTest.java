package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.apache.mina.transport.socket.nio.NioSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpTransport;

/** A changed configuration never drops a connection: some keys apply at once, the others to new connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReconfigureTest {
    private final TcpEchoPeer peer = newPeer();
    private final TcpTransportComponent component = new TcpTransportComponent();
    private boolean active;

    private static TcpEchoPeer newPeer() {
        try {
            return TcpEchoPeer.onLoopback();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        if (active) {
            component.deactivate();
        }
        peer.close();
    }

    @Test
    void aLiveConnectionSurvivesAChangeAndPollsAndCoalescesWithTheNewValues() throws Exception {
        component.activate(config(Map.of()));
        active = true;
        RecordingListener l = new RecordingListener();
        TcpConnection c = connect(component, l);
        echo(c, l, 1);
        ReadLoopProcessor processor = processor(c);
        assertEquals(50_000, processor.busyPollNanos());
        assertEquals(TcpOptions.Moderation.ADAPTIVE, processor.options().moderation());
        assertEquals(0, c.moderator().pauseNanos(processor.options(), 8), "8 due: below the default 16, no pause");

        component.modified(config(Map.of("busyPollMicros", 200L, "readCoalesceMicros", 100L, "readCoalesceMinReplies", 8,
                "maxQueuedSendBytes", 1L << 20, "checkAhsEntries", false, "moderation", "Fixed")));

        assertTrue(c.isOpen(), "the connection is still up");
        assertFalse(l.closed.isDone());
        echo(c, l, 3);
        assertEquals(200_000, processor.busyPollNanos(), "the new busy poll is in force on the open connection");
        assertEquals(TcpOptions.Moderation.FIXED, processor.options().moderation(), "and the new moderation");
        assertEquals(100_000, c.moderator().pauseNanos(processor.options(), 8), "and the new coalescing threshold and pause");
        assertEquals(0, c.moderator().pauseNanos(processor.options(), 7));
    }

    @Test
    void aModerationThatIsNoneOfTheThreeIsRefusedNamingTheChoices() {
        component.activate(config(Map.of()));
        active = true;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.modified(config(Map.of("moderation", "dynamic"))));
        assertEquals("moderation 'dynamic' is not one of off, fixed, adaptive", e.getMessage());
        assertEquals(TcpOptions.Moderation.ADAPTIVE, TcpTransportComponent.options(config(Map.of())).moderation());
        assertEquals(TcpOptions.Moderation.OFF, TcpTransportComponent.options(config(Map.of("moderation", " off "))).moderation());
    }

    @Test
    void aReceiveBufferChangeAppliesToNewConnectionsAndNotTheOpenOne() throws Exception {
        component.activate(config(Map.of("receiveBufferSize", 16 * 1024)));
        active = true;
        RecordingListener oldListener = new RecordingListener();
        TcpConnection old = connect(component, oldListener);
        int oldBuffer = receiveBuffer(old);

        component.modified(config(Map.of("receiveBufferSize", 96 * 1024)));
        RecordingListener newListener = new RecordingListener();
        TcpConnection fresh = connect(component, newListener);

        assertTrue(old.isOpen());
        echo(old, oldListener, 1);
        assertEquals(oldBuffer, receiveBuffer(old), "the open connection keeps its buffer");
        int freshBuffer = receiveBuffer(fresh);
        // Linux reports twice what was set (its bookkeeping overhead)
        assertTrue(freshBuffer >= 96 * 1024 && freshBuffer > oldBuffer, oldBuffer + " then " + freshBuffer);
        assertSame(pool(old), pool(fresh), "same thread count: the same I/O threads");
        echo(fresh, newListener, 1);
    }

    @Test
    void newIoThreadsServeNewConnectionsAndTheOldEndWithTheirLastConnection() throws Exception {
        TcpTransport tcp = new TcpTransport(TcpOptions.DEFAULTS.withIoThreads(1));
        try {
            String oldThreads = threadPrefix(tcp);
            RecordingListener oldListener = new RecordingListener();
            TcpConnection old = connect(tcp, oldListener);

            tcp.reconfigure(TcpOptions.DEFAULTS.withIoThreads(2));
            RecordingListener newListener = new RecordingListener();
            TcpConnection fresh = connect(tcp, newListener);
            assertNotEquals(oldThreads, threadPrefix(tcp));
            assertNotSame(pool(old), pool(fresh));
            assertEquals(2, tcp.openConnections());
            echo(old, oldListener, 2);
            echo(fresh, newListener, 2);

            old.close();
            old.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (liveThreads(oldThreads) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, liveThreads(oldThreads), "the old I/O threads end with their last connection");
            assertTrue(fresh.isOpen());
            echo(fresh, newListener, 1);
        } finally {
            tcp.close();
        }
    }

    @Test
    void theChangedKeysAreSplitByWhenTheyApply() {
        TcpOptions before = TcpOptions.DEFAULTS;
        TcpOptions after = before.withBusyPollNanos(0).withReceiveBufferSize(65536).withIoThreads(4).withMaxQueuedSendBytes(1 << 20)
                .withModeration(TcpOptions.Moderation.OFF);
        OptionsChange change = OptionsChange.between(before, after);
        assertEquals(List.of("busyPollMicros", "moderation", "maxQueuedSendBytes"), change.live());
        assertEquals(List.of("ioThreads", "receiveBufferSize"), change.newConnections());
        assertEquals("applied to open connections: busyPollMicros, moderation, maxQueuedSendBytes; "
                + "applying to new connections: ioThreads, receiveBufferSize", change.toString());
        assertTrue(OptionsChange.between(before, before).isEmpty());
    }

    private TcpConnection connect(TransportProvider t, RecordingListener l) throws Exception {
        return (TcpConnection) t.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private static void echo(TcpConnection c, RecordingListener l, int pdus) throws Exception {
        for (int i = 0; i < pdus; i++) {
            c.send(Pdus.build(c, Pdus.OP_NOP_OUT, i, 0, 512)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            PduBuffer back = l.next(5_000);
            assertNotNull(back, "PDU " + i + " did not come back");
            assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, i, 0, 512));
            back.release();
        }
    }

    /** The processor serving the connection: MINA's pool keeps it in a session attribute. */
    private static ReadLoopProcessor processor(TcpConnection c) {
        for (Object key : c.session().getAttributeKeys()) {
            if (c.session().getAttribute(key) instanceof ReadLoopProcessor p) {
                return p;
            }
        }
        throw new AssertionError("no ReadLoopProcessor attached to " + c.session());
    }

    private static IoProcessor<NioSession> pool(TcpConnection c) {
        return ((NioSession) c.session()).getProcessor();
    }

    private static int receiveBuffer(TcpConnection c) {
        return ((SocketSessionConfig) c.session().getConfig()).getReceiveBufferSize();
    }

    private static String threadPrefix(TcpTransport tcp) {
        String s = tcp.toString();
        return s.substring("TcpTransport[".length(), s.indexOf('*'));
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    /** The component's configuration: DS's defaults but for {@code values}. */
    private static TcpTransportComponent.Config config(Map<String, Object> values) {
        return (TcpTransportComponent.Config) Proxy.newProxyInstance(TcpTransportComponent.Config.class.getClassLoader(),
                new Class<?>[] {TcpTransportComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }
}

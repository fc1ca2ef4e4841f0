package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;

/** Flow control both ways: suspended receive stalls the peer; a full send queue refuses sends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureTest {
    private static final int PDUS = 600;
    private static final int DATA = 8192;

    private TcpTransport tcp;
    private ScriptedPeer peer;

    @AfterEach
    void close() throws Exception {
        if (peer != null) {
            peer.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    @Test
    void suspendedReceiveStallsThePeerAndResumeDeliversInOrder() throws Exception {
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withReceiveBufferSize(64 * 1024));
        peer = new ScriptedPeer(64 * 1024, 0);
        RecordingListener l = new RecordingListener();
        TransportConnection c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l).toCompletableFuture().get(5, TimeUnit.SECONDS);
        c.suspendReceive();
        byte[][] pdus = new byte[PDUS][];
        for (int i = 0; i < PDUS; i++) {
            pdus[i] = WireFrames.nopIn(i, DATA, false, false);
        }
        long total = (long) PDUS * pdus[0].length;
        Thread writer = peer.writeInBackground(pdus);

        long stalledAt = awaitStall(writer);
        assertTrue(stalledAt < total, "the peer wrote all " + total + " bytes although receive was suspended");
        assertNull(l.next(0), "a PDU was delivered while receive was suspended");

        c.resumeReceive();
        for (int i = 0; i < PDUS; i++) {
            PduBuffer p = l.next(5_000);
            assertNotNull(p, "PDU " + i + " not delivered after resume (peer wrote " + peer.written.get() + " of " + total + " bytes)");
            assertEquals(i, Pdus.tag(p.header()), "PDUs out of order");
            assertEquals(DATA, p.data().limit());
            p.release();
        }
        writer.join(5_000);
        assertEquals(total, peer.written.get());
        assertTrue(l.violations().isEmpty(), l.violations().toString());
    }

    /** Waits (at most 10 s) until the peer's writer has made no progress for 500 ms; returns bytes written. */
    private long awaitStall(Thread writer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        while (System.nanoTime() < deadline && writer.isAlive()) {
            long now = peer.written.get();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        if (writer.isAlive()) {
            fail("the peer kept writing for 10 s: receive suspension did not push back");
        }
        return peer.written.get();
    }

    @Test
    void aFullSendQueueRefusesSendsAndStaysUp() throws Exception {
        long limit = 1 << 20;
        tcp = new TcpTransport(TcpOptions.DEFAULTS.withMaxQueuedSendBytes(limit));
        peer = new ScriptedPeer(0, 16 * 1024); // accepts, never reads
        RecordingListener l = new RecordingListener();
        TransportConnection c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l).toCompletableFuture().get(5, TimeUnit.SECONDS);
        peer.socket();
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        IscsiException refused = null;
        int refusedInARow = 0;
        // keep offering until the queue stays full for ~0.5 s: by then the socket buffers are full
        // too and nothing drains; 2000 x 64 KiB bounds this far above any socket buffer
        for (int i = 0; i < 2_000 && refusedInARow < 25; i++) {
            CompletableFuture<Void> f = c.send(Pdus.build(c, Pdus.OP_NOP_OUT, i, 0, 65536)).toCompletableFuture();
            if (f.isCompletedExceptionally()) {
                ExecutionException e = assertThrows(ExecutionException.class, f::get);
                refused = assertInstanceOf(IscsiException.class, e.getCause());
                refusedInARow++;
                Thread.sleep(20);
            } else {
                accepted.add(f);
                refusedInARow = 0;
            }
        }
        assertNotNull(refused, "no send was refused although the peer never reads");
        assertEquals(IscsiError.AGAIN, refused.error(), refused.getMessage());
        assertTrue(refused.getMessage().contains(c.remoteAddress()) && refused.getMessage().contains("limit " + limit), refused.getMessage());
        assertTrue(c.isOpen(), "a full queue must not close the connection");
        CompletableFuture<Void> queued = accepted.get(accepted.size() - 1);
        assertTrue(!queued.isDone(), "the last accepted send should still wait for the socket");

        c.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IscsiException.class, e.getCause(), "queued sends must fail when the connection closes");
        assertNull(l.closed.get(5, TimeUnit.SECONDS));
        assertEquals(0, c.buffersOutstanding(), "failed and refused sends must release their buffers");
    }
}

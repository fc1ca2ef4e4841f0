package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;

/**
 * Read coalescing with a fixed pause: while a connection awaits enough replies, its I/O thread
 * pauses before it reads again; with fewer due it does not, and a wake-up asked for ends the pause.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadCoalescingTest {
    private static final long PAUSE_NANOS = TcpOptions.MAX_READ_COALESCE_NANOS; // 1 ms: long enough to see
    private static final int MIN_REPLIES = 4;

    /** The contract with every read pass paused: replies awaited always past the threshold. */
    @Nested
    class Contract extends TcpTransportContractTest {
        @Override
        TcpOptions options() {
            return super.options().withReadCoalescing(TcpOptions.DEFAULTS.readCoalesceNanos(), 1)
                    .withModeration(TcpOptions.Moderation.FIXED);
        }

        @Override
        protected TransportConnection connect(RecordingListener listener) throws Exception {
            TransportConnection c = super.connect(listener);
            c.repliesAwaited(1_000);
            return c;
        }
    }

    private static TcpTransport transport() {
        return new TcpTransport(TcpOptions.DEFAULTS.withCheckAhsEntries(false).withReadCoalescing(PAUSE_NANOS, MIN_REPLIES)
                .withModeration(TcpOptions.Moderation.FIXED));
    }

    /** When each PDU was delivered, in arrival order. */
    private static final class Arrivals implements TransportListener {
        final LinkedBlockingQueue<Long> at = new LinkedBlockingQueue<>();

        @Override
        public void received(PduBuffer pdu) {
            at.add(System.nanoTime());
            pdu.release();
        }

        @Override
        public void closed(Throwable cause) {
        }

        long next() throws InterruptedException {
            Long t = at.poll(5, TimeUnit.SECONDS);
            assertNotNull(t, "no PDU within 5 s");
            return t;
        }
    }

    /** Gaps between the delivery of one NOP-In and the next, which the peer sends once the first was delivered. */
    private static long[] gaps(int repliesAwaited, int samples) throws Exception {
        try (TcpTransport tcp = transport(); ScriptedPeer peer = new ScriptedPeer()) {
            Arrivals l = new Arrivals();
            TransportConnection c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            c.repliesAwaited(repliesAwaited);
            long[] gaps = new long[samples];
            for (int i = 0; i < samples; i++) {
                peer.write(WireFrames.nopIn(2 * i, 0, false, false));
                long first = l.next();
                peer.write(WireFrames.nopIn(2 * i + 1, 0, false, false));
                gaps[i] = l.next() - first;
            }
            c.close();
            return gaps;
        }
    }

    @Test
    void whileEnoughRepliesAreDueTheNextReadWaitsForThePause() throws Exception {
        // the thread pauses right after delivering the first PDU, so the second comes a pause later at least
        for (long gap : gaps(MIN_REPLIES, 5)) {
            assertTrue(gap >= PAUSE_NANOS, "second PDU " + gap / 1000 + " us after the first; the pause is " + PAUSE_NANOS / 1000 + " us");
        }
    }

    @Test
    void withFewerRepliesDueThereIsNoPause() throws Exception {
        long[] gaps = gaps(MIN_REPLIES - 1, 21);
        Arrays.sort(gaps);
        long median = gaps[gaps.length / 2];
        assertTrue(median < PAUSE_NANOS * 9 / 10, "median gap " + median / 1000 + " us: the reads paused");
    }

    /**
     * A PDU posted from another thread wakes the I/O thread, which must end its pause for it: 200
     * round trips, each of which would otherwise wait out a 1 ms pause, take less than 200 ms.
     */
    @Test
    void aWakeUpEndsThePause() throws Exception {
        try (TcpTransport tcp = transport(); TcpEchoPeer peer = TcpEchoPeer.onLoopback()) {
            RecordingListener l = new RecordingListener();
            TransportConnection c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            c.repliesAwaited(MIN_REPLIES + 10);
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                c.post(Pdus.build(c, Pdus.OP_NOP_OUT, i, 0, 64));
                PduBuffer back = l.next(5_000);
                assertNotNull(back, "echo " + i + " missing");
                assertEquals(i, Pdus.tag(back.header()));
                back.release();
            }
            long took = System.nanoTime() - t0;
            assertTrue(took < 200 * PAUSE_NANOS, "200 round trips took " + took / 1_000_000 + " ms");
            c.close();
        }
    }

    @Test
    void theSettingsAreBounded() {
        assertEquals(30_000, TcpOptions.DEFAULTS.readCoalesceNanos());
        assertEquals(16, TcpOptions.DEFAULTS.readCoalesceMinReplies());
        assertEquals(0, TcpOptions.DEFAULTS.withReadCoalescing(0, 1).readCoalesceNanos(), "0 turns it off");
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withReadCoalescing(-1, 16));
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withReadCoalescing(TcpOptions.MAX_READ_COALESCE_NANOS + 1, 16));
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withReadCoalescing(30_000, 0));
        TcpOptions four = new TcpOptions(0, 1 << 20, 0, true);
        assertEquals(TcpOptions.DEFAULTS.readCoalesceNanos(), four.readCoalesceNanos(), "the short constructors keep the defaults");
    }
}

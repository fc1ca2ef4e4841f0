package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;
import org.kiscsi.testkit.contract.TcpEchoPeer;

/** The transport with busy-polling I/O threads: same contract, and no write left waiting. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusyPollTest {
    private static final long POLL_NANOS = 200_000;

    @Nested
    class Contract extends TcpTransportContractTest {
        @Override
        TcpOptions options() {
            return super.options().withBusyPollNanos(POLL_NANOS).withModeration(TcpOptions.Moderation.FIXED);
        }

        @Override
        protected TransportConnection connect(RecordingListener listener) throws Exception {
            TransportConnection c = super.connect(listener);
            c.repliesAwaited(1); // the thread polls only while a reply is due
            return c;
        }
    }

    /**
     * Sends from a thread of the test's own go through MINA's queue and wake the I/O thread. A busy
     * poll that swallowed that wake-up would leave the PDU waiting for MINA's one-second select
     * timeout: here each of 300 round trips must take less than that.
     */
    @Test
    void writesFromOtherThreadsAreNotLeftWaitingByThePoll() throws Exception {
        try (TcpTransport tcp = new TcpTransport(TcpOptions.DEFAULTS.withCheckAhsEntries(false).withBusyPollNanos(POLL_NANOS)
                .withModeration(TcpOptions.Moderation.FIXED));
             TcpEchoPeer peer = TcpEchoPeer.onLoopback()) {
            RecordingListener l = new RecordingListener();
            TransportConnection c = tcp.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), l)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            c.repliesAwaited(1); // the thread polls only while a reply is due
            long slowest = 0;
            for (int i = 0; i < 300; i++) {
                long t0 = System.nanoTime();
                c.post(Pdus.build(c, Pdus.OP_NOP_OUT, i, 0, 100));
                PduBuffer back = l.next(5_000);
                assertNotNull(back, "echo " + i + " missing");
                assertEquals(i, Pdus.tag(back.header()));
                back.release();
                slowest = Math.max(slowest, System.nanoTime() - t0);
                if (i % 50 == 49) {
                    Thread.sleep(3); // let the I/O thread go from polling to sleeping now and then
                }
            }
            assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(900), "slowest round trip " + slowest / 1000 + " us (MINA sleeps 1 s at most)");
            c.close();
        }
    }

    @Test
    void theBusyPollIsBounded() {
        assertEquals(50_000, TcpOptions.DEFAULTS.busyPollNanos());
        assertEquals(0, TcpOptions.DEFAULTS.withBusyPollNanos(0).busyPollNanos(), "0 turns it off");
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withBusyPollNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.DEFAULTS.withBusyPollNanos(TcpOptions.MAX_BUSY_POLL_NANOS + 1));
        assertEquals(TcpOptions.MAX_BUSY_POLL_NANOS, TcpOptions.DEFAULTS.withBusyPollNanos(TcpOptions.MAX_BUSY_POLL_NANOS).busyPollNanos());
    }
}

package org.kiscsi.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.testkit.contract.Pdus;
import org.kiscsi.testkit.contract.RecordingListener;

/** Sends a few PDUs through an echo peer and checks they come back intact. */
final class EchoRoundTrip {
    private EchoRoundTrip() {
    }

    static void check(TransportConnection c, RecordingListener l, int pdus) throws Exception {
        for (int i = 0; i < pdus; i++) {
            c.send(Pdus.build(c, Pdus.OP_NOP_OUT, i, 0, i * 777)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        for (int i = 0; i < pdus; i++) {
            PduBuffer back = l.next(5_000);
            assertNotNull(back, "PDU " + i + " did not come back");
            assertTrue(back.dataDigestOk());
            assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, i, 0, i * 777));
            back.release();
        }
    }
}

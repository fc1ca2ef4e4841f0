package org.kiscsi.transport.iser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;

/**
 * A target may send in full feature phase as soon as its final Login Response is out: NOP-Ins (or an
 * Async Message) can arrive before the initiator has even read that response. The receives for them
 * must be posted already, with the final Login Request. Here the target allows no receiver-not-ready
 * retry, so a Send finding no receive fails the connection; the listener holds the completion
 * thread on the Login Response (as an engine busy with it would), so only what was posted before
 * counts.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IserFinalLoginReceivesTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:iser-final-login";
    private SoftFabric fabric;
    private IserTestTarget target;
    private IserTransport iser;

    @BeforeEach
    void setUp() throws Exception {
        fabric = new SoftFabric();
        target = new IserTestTarget(fabric, new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260), IQN, 16);
        iser = new IserTransport(fabric.verbs("soft-initiator", InetAddress.getLoopbackAddress()), IserOptions.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        iser.close();
        target.close();
        fabric.close();
    }

    /** A Login Request going from the operational stage straight to full feature phase (T, CSG 1, NSG 3). */
    private static PduBuffer finalLoginRequest(TransportConnection c) {
        byte[] keys = "RDMAExtensions=Yes\0".getBytes(StandardCharsets.US_ASCII);
        PduBuffer p = c.allocate(0, keys.length);
        ByteBuffer h = p.header();
        h.put(0, (byte) 0x43).put(1, (byte) 0x87).putInt(4, keys.length);
        h.put(8, (byte) 0x40).putInt(10, 0x1234).putInt(16, 1).putInt(24, 1);
        p.data().put(0, keys);
        return p;
    }

    @Test
    void unexpectedPdusRightBehindTheFinalLoginResponseFindReceivesPosted() throws Exception {
        int nopIns = 3; // with the login's two receives alone, the third cannot find one
        target.nopInsAfterFinalLogin = nopIns;
        target.rnrRetry = 0;
        BlockingQueue<PduBuffer> received = new LinkedBlockingQueue<>();
        CountDownLatch loginResponseRead = new CountDownLatch(1);
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        TransportListener listener = new TransportListener() {
            @Override
            public void received(PduBuffer pdu) {
                received.add(pdu);
                if (received.size() == 1) {
                    try {
                        loginResponseRead.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void closed(Throwable cause) {
                closed.complete(cause);
            }
        };
        TransportConnection c = iser.connect(ConnectRequest.to(target.portal(), Duration.ofSeconds(5)), listener)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        c.send(finalLoginRequest(c)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        String sent;
        try {
            sent = target.afterFinalLogin.get(10, TimeUnit.SECONDS);
        } finally {
            loginResponseRead.countDown();
        }
        assertEquals("SUCCESS", sent, "the target's NOP-Ins right behind the final Login Response (RNR retry 0)");
        for (int i = 0; i <= nopIns; i++) {
            PduBuffer p = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(p, "PDU " + i + " behind the final Login Request did not arrive");
            assertEquals(i == 0 ? 0x23 : 0x20, p.header().get(0) & 0x3F, "PDU " + i + "'s opcode");
            p.release();
        }
        assertTrue(c.isOpen(), "closed: " + closed.getNow(null));
        c.close();
        closed.get(10, TimeUnit.SECONDS);
    }
}

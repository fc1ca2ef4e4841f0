package org.kiscsi.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.api.scsi.DataDirection;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TaskTransfer;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportProvider;

/**
 * What every transport must do. A transport's tests extend this class, say how to make the
 * transport and an {@link EchoPeer} for it, and inherit every test here.
 *
 * <p>Each test is bounded in time; PDU counts are fixed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportContract {
    /** How long a single expected event may take. */
    protected static final long WAIT_MS = 10_000;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    protected TransportProvider transport;
    protected EchoPeer peer;

    /** The transport under test. */
    protected abstract TransportProvider createTransport();

    /** A fresh echo peer the transport can reach. */
    protected abstract EchoPeer createPeer();

    /** A portal where nothing listens (connection refused). */
    protected abstract Portal deadPortal();

    @BeforeEach
    void setUpContract() {
        transport = createTransport();
        peer = createPeer();
        cleanup.add(peer);
    }

    @AfterEach
    void tearDownContract() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        cleanup.clear();
    }

    protected TransportConnection connect(RecordingListener listener) throws Exception {
        TransportConnection c = transport.connect(ConnectRequest.to(peer.portal(), Duration.ofSeconds(5)), listener)
                .toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        cleanup.add(c::close);
        return c;
    }

    private static void awaitSent(CompletableFuture<Void> f) throws Exception {
        f.get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void declaresANameAndCapabilities() {
        assertNotNull(transport.name());
        assertFalse(transport.name().isBlank(), "transport name must not be blank");
        assertNotNull(transport.capabilities());
    }

    @Test
    void connectsAndReportsEndpoints() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        assertTrue(c.isOpen());
        assertNotNull(c.localAddress());
        assertNotNull(c.remoteAddress());
        assertEquals(0, c.buffersOutstanding(), "a new connection holds no buffers");
        assertFalse(c.closeFuture().toCompletableFuture().isDone());
    }

    @Test
    void allocateGivesBuffersOfTheAskedShape() throws Exception {
        TransportConnection c = connect(new RecordingListener());
        PduBuffer p = c.allocate(8, 1000);
        assertEquals(48 + 8, p.header().limit());
        assertEquals(0, p.header().position());
        assertEquals(1000, p.data().limit());
        assertEquals(1, c.buffersOutstanding());
        p.release();
        assertEquals(0, c.buffersOutstanding());
        assertThrows(IllegalStateException.class, p::release, "a second release must be refused");
    }

    @Test
    void echoesOnePduUnchanged() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        awaitSent(c.send(Pdus.build(c, Pdus.OP_NOP_OUT, 7, 0, 100)).toCompletableFuture());
        PduBuffer back = l.next(WAIT_MS);
        assertNotNull(back, "no PDU came back");
        assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, 7, 0, 100));
        back.release();
        assertEquals(0, c.buffersOutstanding(), "sent and received buffers must all be released");
    }

    @Test
    void movesManyPdusInOrderBothWays() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        Random r = new Random(42);
        int n = 600;
        int[] ahs = new int[n];
        int[] len = new int[n];
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ahs[i] = r.nextInt(10) == 0 ? 1 + r.nextInt(4) : 0;
            // sizes around padding boundaries and the 8192 default, some large
            len[i] = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> r.nextInt(8);
                case 2 -> 8192 - 2 + r.nextInt(4);
                case 3 -> r.nextInt(4096);
                default -> r.nextInt(65536);
            };
            sends.add(c.send(Pdus.build(c, Pdus.OP_NOP_OUT, i, ahs[i], len[i])).toCompletableFuture());
        }
        for (int i = 0; i < n; i++) {
            PduBuffer back = l.next(WAIT_MS);
            assertNotNull(back, "PDU " + i + " did not come back");
            String m = Pdus.mismatch(back, Pdus.OP_NOP_OUT, i, ahs[i], len[i]);
            back.release();
            if (m != null) {
                fail("PDU " + i + ": " + m);
            }
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertEquals(0, c.buffersOutstanding());
        assertTrue(l.violations().isEmpty(), l.violations().toString());
    }

    @Test
    void postedPdusArriveInOrderAndTheirBuffersComeBack() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        for (int i = 0; i < 200; i++) {
            c.post(Pdus.build(c, Pdus.OP_NOP_OUT, i, i % 2, (i * 977) % 20000));
        }
        for (int i = 0; i < 200; i++) {
            PduBuffer back = l.next(WAIT_MS);
            assertNotNull(back, "posted PDU " + i + " did not come back");
            assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, i, i % 2, (i * 977) % 20000));
            back.release();
        }
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (c.buffersOutstanding() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, c.buffersOutstanding(), "posted buffers must be released once written");
        c.close();
        c.post(Pdus.build(c, Pdus.OP_NOP_OUT, 999, 0, 10)); // after close: released, nothing else
        assertEquals(0, c.buffersOutstanding(), "a PDU posted after close must be released");
    }

    @Test
    void framesWithDigestsOnceConfigured() throws Exception {
        if (!transport.capabilities().contains(TransportCapability.DIGESTS)) {
            return; // transports without digests (iSER) frame without them
        }
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        LinkSettings digests = new LinkSettings(true, true, 65536);
        peer.configure(digests);
        c.configure(digests);
        for (int i = 0; i < 20; i++) {
            c.send(Pdus.build(c, Pdus.OP_NOP_OUT, i, i % 3, i * 1001));
        }
        for (int i = 0; i < 20; i++) {
            PduBuffer back = l.next(WAIT_MS);
            assertNotNull(back, "PDU " + i + " did not come back");
            assertTrue(back.dataDigestOk());
            assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, i, i % 3, i * 1001));
            back.release();
        }
    }

    @Test
    void reportsAConnectionClosedByThePeer() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        // the Logout is written (and its buffer released) before the peer can read it and close
        awaitSent(c.send(Pdus.build(c, Pdus.OP_LOGOUT_REQUEST, 1, 0, 0)).toCompletableFuture());
        Throwable cause = l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(cause, "a close by the peer must come with a cause");
        assertTrue(cause instanceof IscsiException, "cause must be an IscsiException, was " + cause);
        assertEquals(IscsiError.TRANS, ((IscsiException) cause).error());
        c.closeFuture().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertFalse(c.isOpen());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> c.send(Pdus.build(c, Pdus.OP_NOP_OUT, 2, 0, 10)).toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof IscsiException, "send after close must fail with an IscsiException");
        assertEquals(0, c.buffersOutstanding(), "a refused send must still release its buffer");
        assertTrue(l.violations().isEmpty(), l.violations().toString());
    }

    @Test
    void localCloseIsOrderlyAndFailsLaterSends() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        c.close();
        assertNull(l.closed.get(WAIT_MS, TimeUnit.MILLISECONDS), "a local close has no cause");
        c.closeFuture().toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        assertFalse(c.isOpen());
        CompletableFuture<Void> f = c.send(Pdus.build(c, Pdus.OP_NOP_OUT, 1, 0, 10)).toCompletableFuture();
        assertThrows(ExecutionException.class, () -> f.get(WAIT_MS, TimeUnit.MILLISECONDS));
        c.close(); // idempotent
        assertEquals(0, c.buffersOutstanding());
        assertTrue(l.violations().isEmpty(), l.violations().toString());
    }

    @Test
    void suspendedReceiveHoldsPdusUntilResumed() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        c.suspendReceive();
        for (int i = 0; i < 10; i++) {
            c.send(Pdus.build(c, Pdus.OP_NOP_OUT, i, 0, 512));
        }
        assertNull(l.next(500), "no PDU may be delivered while receive is suspended");
        c.resumeReceive();
        for (int i = 0; i < 10; i++) {
            PduBuffer back = l.next(WAIT_MS);
            assertNotNull(back, "PDU " + i + " not delivered after resume");
            assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, i, 0, 512));
            back.release();
        }
    }

    @Test
    void connectToADeadPortalFailsNamingIt() {
        Portal dead = deadPortal();
        CompletableFuture<TransportConnection> f = transport
                .connect(ConnectRequest.to(dead, Duration.ofSeconds(3)), new RecordingListener()).toCompletableFuture();
        Throwable cause;
        try {
            f.get(WAIT_MS, TimeUnit.MILLISECONDS);
            fail("connect to " + dead + " succeeded");
            return;
        } catch (ExecutionException | CompletionException e) {
            cause = e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            fail("connect to a dead portal did not fail within " + WAIT_MS + " ms");
            return;
        }
        assertTrue(cause instanceof IscsiException, "expected an IscsiException, got " + cause);
        IscsiError err = ((IscsiException) cause).error();
        assertTrue(err == IscsiError.TRANS || err == IscsiError.TRANS_TIMEOUT, "error class " + err);
        assertTrue(cause.getMessage().contains(dead.hostPort()), "message must name the portal: " + cause.getMessage());
    }

    // ---------------------------------------------------------------- SPI 1.4: full feature switch, keys, tasks

    @Test
    void entersFullFeaturePhaseWithinTheLoginTimeAndThenFramesByTheSettings() throws Exception {
        RecordingListener l = new RecordingListener();
        TransportConnection c = connect(l);
        c.configure(LinkSettings.LOGIN);
        boolean digests = transport.capabilities().contains(TransportCapability.DIGESTS);
        // the outcome of the transport's own keys as a target taking every offer would leave them
        java.util.Map<String, String> agreed = new java.util.LinkedHashMap<>();
        c.loginKeys().forEach(k -> agreed.put(k.name(), k.offer()));
        LinkSettings ffp = new LinkSettings(digests, digests, 65536, agreed);
        peer.configure(ffp);
        c.enterFullFeaturePhase(ffp).toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        c.send(Pdus.build(c, Pdus.OP_NOP_OUT, 5, 0, 30000));
        PduBuffer back = l.next(WAIT_MS);
        assertNotNull(back, "no PDU came back in full feature phase");
        assertNull(Pdus.mismatch(back, Pdus.OP_NOP_OUT, 5, 0, 30000));
        back.release();
    }

    @Test
    void loginKeysAreTheTransportsOwnAndValid() throws Exception {
        TransportConnection c = connect(new RecordingListener());
        List<LoginKey> keys = c.loginKeys();
        assertNotNull(keys);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (LoginKey k : keys) {
            assertTrue(names.add(k.name()), "login key " + k.name() + " named twice");
            assertFalse(List.of("HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength",
                    "ImmediateData", "InitialR2T", "MaxConnections", "ErrorRecoveryLevel").contains(k.name()),
                    "a transport may not add RFC 7143's key " + k.name());
        }
        assertTrue(c.maxOutstandingUnexpectedPdus() >= 0, "the unanswered-PDU limit is 0 (none) or positive");
    }

    @Test
    void everyAnnouncedTaskEndsOnceAndItsBuffersAreLeftAlone() throws Exception {
        TransportConnection c = connect(new RecordingListener());
        boolean placing = transport.capabilities().contains(TransportCapability.DIRECT_DATA_PLACEMENT);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4096);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(8192);
        c.taskStarted(new TaskBuffers(0x101, DataDirection.OUT, out, 4096, null, 0));
        c.taskStarted(new TaskBuffers(0x102, DataDirection.IN, null, 0, in, 8192));
        c.taskStarted(new TaskBuffers(0x103, DataDirection.BIDIRECTIONAL, out, 4096, in, 8192));
        TaskTransfer a = c.taskEnded(0x101, TaskEnd.COMPLETED);
        TaskTransfer b = c.taskEnded(0x102, TaskEnd.ABORTED);
        c.close();
        TaskTransfer d = c.taskEnded(0x103, TaskEnd.CONNECTION_LOST); // after close: still answered, without blocking
        for (TaskTransfer t : List.of(a, b, d)) {
            assertNotNull(t);
            if (!placing) {
                assertEquals(TaskTransfer.NONE, t, "a transport that places nothing reports nothing moved");
            }
            assertTrue(t.bytesIn() <= 8192 && t.bytesOut() <= 4096, "more moved than the task had: " + t);
        }
        assertEquals(0, out.position(), "the transport moved the caller's position");
        assertEquals(0, in.position(), "the transport moved the caller's position");
        assertEquals(0, c.buffersOutstanding());
    }
}

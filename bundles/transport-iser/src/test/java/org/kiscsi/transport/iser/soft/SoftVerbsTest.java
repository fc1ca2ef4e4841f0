package org.kiscsi.transport.iser.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.ConnectParams;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.kiscsi.transport.iser.verbs.WorkCompletion;
import org.kiscsi.transport.iser.verbs.WorkCompletion.Opcode;
import org.kiscsi.transport.iser.verbs.WorkCompletion.Status;

/** The software provider keeps RC's rules: posted receives, RNR, STag checks, invalidation, the error state. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SoftVerbsTest {
    private static final Set<Access> REMOTE = EnumSet.allOf(Access.class);
    private SoftFabric fabric = new SoftFabric();

    @AfterEach
    void close() {
        fabric.close();
    }

    /** One side of a connection: its PD, CQ (completions land in a queue) and why it ended. */
    private static final class End {
        final ProtectionDomain pd;
        final CompletionQueue cq;
        final LinkedBlockingQueue<WorkCompletion> done = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        QueuePair qp;

        End(RdmaDevice d) throws VerbsException {
            pd = d.allocatePd();
            CompletionQueue[] self = new CompletionQueue[1];
            cq = d.createCq(64, () -> drain(self[0]));
            self[0] = cq;
            cq.requestNotify();
        }

        private void drain(CompletionQueue q) {
            List<WorkCompletion> l = new ArrayList<>();
            q.poll(l, 64);
            done.addAll(l);
            q.requestNotify();
            q.poll(l = new ArrayList<>(), 64);
            done.addAll(l);
        }

        WorkCompletion next() throws InterruptedException {
            WorkCompletion wc = done.poll(5, TimeUnit.SECONDS);
            if (wc == null) {
                throw new AssertionError("no completion within 5 s");
            }
            return wc;
        }

        MemoryRegion mr(int size, Set<Access> access) throws VerbsException {
            return pd.register(ByteBuffer.allocateDirect(size), access);
        }
    }

    private End client;
    private End server;
    private RdmaDevice clientDevice;

    private void connect(int rnrRetry) throws Exception {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260);
        RdmaDevice sd = fabric.verbs("soft-t", at.getAddress()).open();
        RdmaDevice cd = fabric.verbs("soft-i", InetAddress.getByName("127.0.0.2")).open();
        clientDevice = cd;
        server = new End(sd);
        client = new End(cd);
        QpAttributes attrs = new QpAttributes(16, 16, 4, 4, 7, rnrRetry);
        sd.listen(at, new AcceptHandler() {
            @Override
            public Acceptance accept(InetSocketAddress from, byte[] privateData) {
                assertArrayEquals(new byte[] {(byte) 0xC0, 0, 0, 0}, privateData);
                return new Acceptance(server.pd, server.cq, attrs, new byte[] {0x40, 0, 0, 0}, server.ended::complete);
            }

            @Override
            public void established(QueuePair qp) {
                server.qp = qp;
            }
        });
        client.qp = cd.connect(new ConnectParams(at, client.pd, client.cq, attrs, new byte[] {(byte) 0xC0, 0, 0, 0},
                Duration.ofSeconds(1), client.ended::complete)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {0x40, 0, 0, 0}, client.qp.peerPrivateData());
        assertEquals(at, client.qp.remoteAddress());
    }

    private static MemoryRegion filled(End e, byte[] bytes, Set<Access> access) throws VerbsException {
        MemoryRegion mr = e.mr(bytes.length, access);
        mr.buffer().put(bytes);
        return mr;
    }

    @Test
    void aSendLandsInAPostedReceive() throws Exception {
        connect(7);
        MemoryRegion rx = server.mr(64, Set.of(Access.LOCAL_WRITE));
        server.qp.postRecv(7, rx.sge(0, 64));
        MemoryRegion tx = filled(client, "hello".getBytes(), Set.of());
        client.qp.postSend(SendRequest.send(9, tx.sge(0, 5)));
        assertEquals(new WorkCompletion(7, Status.SUCCESS, Opcode.RECV, 5, 0, server.qp.qpNumber()), server.next());
        assertEquals(new WorkCompletion(9, Status.SUCCESS, Opcode.SEND, 5, 0, client.qp.qpNumber()), client.next());
        byte[] got = new byte[5];
        rx.buffer().get(got);
        assertArrayEquals("hello".getBytes(), got);
    }

    @Test
    void aSendWithoutAPostedReceiveWaitsAsReceiverNotReadyAndHoldsBackWhatFollows() throws Exception {
        connect(7);
        MemoryRegion tx = filled(client, "first second".getBytes(), Set.of());
        client.qp.postSend(SendRequest.send(1, tx.sge(0, 5)));
        client.qp.postSend(SendRequest.send(2, tx.sge(6, 6)));
        fabric.drain();
        Thread.sleep(20); // several RNR timers
        assertTrue(client.done.isEmpty(), "nothing completes while the receiver is not ready");
        MemoryRegion rx = server.mr(64, Set.of(Access.LOCAL_WRITE));
        server.qp.postRecv(11, rx.sge(0, 32));
        assertEquals(5, server.next().byteLength());
        assertEquals(1, client.next().wrId());
        server.qp.postRecv(12, rx.sge(32, 32));
        WorkCompletion second = server.next();
        assertEquals(12, second.wrId());
        assertEquals(6, second.byteLength());
        assertEquals(2, client.next().wrId());
    }

    @Test
    void postsBehindASendWaitingOnReceiverNotReadyAreNoRetries() throws Exception {
        fabric.close();
        fabric = new SoftFabric(Duration.ofSeconds(30)); // the RNR timer does not expire within this test
        connect(2);
        MemoryRegion tx = filled(client, new byte[8], Set.of());
        for (int i = 1; i <= 8; i++) {
            client.qp.postSend(SendRequest.send(i, tx.sge(0, 8)));
        }
        fabric.drain();
        assertTrue(client.done.isEmpty(), "nothing completes while the receiver is not ready");
        assertTrue(client.qp.connected(), "one receiver-not-ready NAK, not eight: the queue pair must still be connected");
        MemoryRegion rx = server.mr(64, Set.of(Access.LOCAL_WRITE));
        for (int i = 0; i < 8; i++) {
            server.qp.postRecv(100 + i, rx.sge(i * 8, 8));
        }
        for (int i = 1; i <= 8; i++) {
            WorkCompletion wc = client.next();
            assertEquals(i, wc.wrId());
            assertEquals(Status.SUCCESS, wc.status());
        }
    }

    @Test
    void receiverNotReadyBeyondTheRetryCountFailsTheConnection() throws Exception {
        connect(2);
        MemoryRegion tx = filled(client, new byte[8], Set.of());
        client.qp.postSend(SendRequest.send(1, tx.sge(0, 8)));
        client.qp.postSend(SendRequest.send(2, tx.sge(0, 8)));
        assertEquals(Status.RNR_RETRY_EXCEEDED, client.next().status());
        assertEquals(Status.FLUSHED, client.next().status());
        assertTrue(client.ended.get(5, TimeUnit.SECONDS).contains("receive buffer"), client.ended.get());
        assertTrue(server.ended.get(5, TimeUnit.SECONDS).contains("receiver not ready"), server.ended.get());
        assertFalse(client.qp.connected());
        client.qp.postSend(SendRequest.send(3, tx.sge(0, 8)));
        assertEquals(Status.FLUSHED, client.next().status(), "posts to a failed QP are flushed");
    }

    @Test
    void aSendLargerThanTheReceiveBufferFailsBothSides() throws Exception {
        connect(7);
        MemoryRegion rx = server.mr(16, Set.of(Access.LOCAL_WRITE));
        server.qp.postRecv(1, rx.sge(0, 16));
        client.qp.postSend(SendRequest.send(2, filled(client, new byte[17], Set.of()).sge(0, 17)));
        assertEquals(Status.LOCAL_LENGTH_ERROR, server.next().status());
        assertEquals(Status.REMOTE_INVALID_REQUEST, client.next().status());
    }

    @Test
    void rdmaWriteAndReadMoveDataThroughAValidStag() throws Exception {
        connect(7);
        MemoryRegion target = client.mr(4096, REMOTE);
        MemoryRegion src = filled(server, "placed by the peer".getBytes(), Set.of());
        server.qp.postSend(SendRequest.rdmaWrite(1, src.sge(0, 18), target.address() + 100, target.rkey()));
        assertEquals(new WorkCompletion(1, Status.SUCCESS, Opcode.RDMA_WRITE, 18, 0, server.qp.qpNumber()), server.next());
        byte[] got = new byte[18];
        target.buffer().get(100, got);
        assertArrayEquals("placed by the peer".getBytes(), got);

        MemoryRegion into = server.mr(18, Set.of(Access.LOCAL_WRITE));
        server.qp.postSend(SendRequest.rdmaRead(2, into.sge(0, 18), target.address() + 100, target.rkey()));
        assertEquals(Opcode.RDMA_READ, server.next().opcode());
        into.buffer().get(0, got);
        assertArrayEquals("placed by the peer".getBytes(), got);
        assertTrue(client.done.isEmpty(), "one-sided operations complete at the requester only");
    }

    @Test
    void rdmaBeyondTheRegionIsARemoteAccessError() throws Exception {
        connect(7);
        MemoryRegion target = client.mr(4096, REMOTE);
        MemoryRegion src = filled(server, new byte[64], Set.of());
        server.qp.postSend(SendRequest.rdmaWrite(1, src.sge(0, 64), target.address() + 4090, target.rkey()));
        assertEquals(Status.REMOTE_ACCESS_ERROR, server.next().status());
        assertTrue(server.ended.get(5, TimeUnit.SECONDS).contains("does not cover"), server.ended.get());
        assertTrue(client.ended.get(5, TimeUnit.SECONDS).contains("RDMA access was refused"), client.ended.get());
    }

    @Test
    void rdmaWithoutTheAccessRightIsARemoteAccessError() throws Exception {
        connect(7);
        MemoryRegion readOnly = client.mr(4096, Set.of(Access.REMOTE_READ));
        server.qp.postSend(SendRequest.rdmaWrite(1, filled(server, new byte[8], Set.of()).sge(0, 8), readOnly.address(),
                readOnly.rkey()));
        assertEquals(Status.REMOTE_ACCESS_ERROR, server.next().status());
        assertTrue(server.ended.get(5, TimeUnit.SECONDS).contains("does not allow REMOTE_WRITE"), server.ended.get());
    }

    @Test
    void sendWithInvalidateEndsTheStagAndADeregisteredStagIsRefused() throws Exception {
        connect(7);
        MemoryRegion advertised = client.mr(4096, REMOTE);
        MemoryRegion rx = client.mr(64, Set.of(Access.LOCAL_WRITE));
        client.qp.postRecv(5, rx.sge(0, 64));
        MemoryRegion tx = filled(server, "response".getBytes(), Set.of());
        server.qp.postSend(SendRequest.sendWithInvalidate(6, tx.sge(0, 8), advertised.rkey()));
        WorkCompletion wc = client.next();
        assertEquals(advertised.rkey(), wc.invalidatedRkey());
        assertFalse(advertised.valid());
        assertEquals(6, server.next().wrId());
        server.qp.postSend(SendRequest.rdmaWrite(7, tx.sge(0, 8), advertised.address(), advertised.rkey()));
        assertEquals(Status.REMOTE_ACCESS_ERROR, server.next().status(), "an invalidated STag is gone");
    }

    @Test
    void aDeregistrationWaitsForAnRdmaWriteUnderWayAndNothingLandsAfterIt() throws Exception {
        connect(7);
        int size = 16 << 20; // long enough to be caught in the middle
        byte[] ones = new byte[size];
        java.util.Arrays.fill(ones, (byte) 1);
        MemoryRegion src = filled(server, ones, Set.of());
        ByteBuffer memory = ByteBuffer.allocateDirect(size);
        java.lang.invoke.VarHandle firstInt = java.lang.invoke.MethodHandles.byteBufferViewVarHandle(int[].class,
                java.nio.ByteOrder.BIG_ENDIAN);
        for (int attempt = 0; attempt < 10; attempt++) {
            memory.put(0, new byte[size]);
            MemoryRegion target = client.pd.register(memory, REMOTE);
            server.qp.postSend(SendRequest.rdmaWrite(attempt, src.sge(0, size), target.address(), target.rkey()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((int) firstInt.getVolatile(memory, 0) == 0 && System.nanoTime() < until) {
                Thread.onSpinWait(); // the write has begun once its first bytes are there
            }
            target.deregister();
            byte lastAtDeregistration = memory.get(size - 1);
            WorkCompletion wc = server.next();
            assertEquals(Status.SUCCESS, wc.status(), "the write was under way when the deregistration came: it finished first");
            assertEquals(1, lastAtDeregistration, "the deregistration returned before the write under way had finished (attempt "
                    + attempt + ")");
            byte[] after = new byte[size];
            memory.get(0, after);
            assertArrayEquals(ones, after);
        }
    }

    @Test
    void theFabricCountsValidRegistrationsPerDeviceAndProtectionDomain() throws Exception {
        connect(7);
        int before = fabric.registrations("soft-i");
        MemoryRegion a = client.mr(64, REMOTE);
        ProtectionDomain other = clientDevice.allocatePd();
        MemoryRegion b = other.register(ByteBuffer.allocateDirect(64), REMOTE);
        assertEquals(before + 2, fabric.registrations("soft-i"));
        assertEquals(2, fabric.registrationsByDomain("soft-i").size(), fabric.registrationsByDomain("soft-i").toString());
        assertTrue(fabric.registered(a.rkey()) && fabric.registered(b.rkey()));
        server.mr(64, REMOTE);
        assertEquals(before + 2, fabric.registrations("soft-i"), "another device's registrations do not count");
        a.deregister();
        assertFalse(fabric.registered(a.rkey()));
        assertEquals(java.util.List.of(1), java.util.List.copyOf(fabric.registrationsByDomain("soft-i").values()));
        other.close();
        assertFalse(fabric.registered(b.rkey()));
        assertEquals(before, fabric.registrations("soft-i"));
    }

    @Test
    void aLocalBufferThatIsNotRegisteredIsALocalProtectionError() throws Exception {
        connect(7);
        MemoryRegion tx = client.mr(16, Set.of());
        tx.deregister();
        client.qp.postSend(SendRequest.send(1, tx.sge(0, 16)));
        assertEquals(Status.LOCAL_PROTECTION_ERROR, client.next().status());
    }

    @Test
    void fullQueuesRefusePostsAndRemoteWriteNeedsLocalWrite() throws Exception {
        connect(7);
        MemoryRegion rx = server.mr(16, Set.of(Access.LOCAL_WRITE));
        for (int i = 0; i < 16; i++) {
            server.qp.postRecv(i, rx.sge(0, 16));
        }
        VerbsException e = assertThrows(VerbsException.class, () -> server.qp.postRecv(99, rx.sge(0, 16)));
        assertEquals(VerbsException.Reason.RESOURCE, e.reason());
        e = assertThrows(VerbsException.class, () -> server.pd.register(ByteBuffer.allocate(8), Set.of(Access.REMOTE_WRITE)));
        assertEquals(VerbsException.Reason.INVALID, e.reason());
    }

    @Test
    void closingADeviceTakesItsConnectionsDownAndThePeerHearsOfIt() throws Exception {
        connect(7);
        clientDevice.close();
        assertEquals("disconnected by the peer", server.ended.get(5, TimeUnit.SECONDS));
        assertEquals("disconnected by the local side", client.ended.get(5, TimeUnit.SECONDS));
        assertFalse(server.qp.connected());
    }

    @Test
    void disconnectFlushesAndTellsBothSides() throws Exception {
        connect(7);
        MemoryRegion rx = client.mr(16, Set.of(Access.LOCAL_WRITE));
        client.qp.postRecv(3, rx.sge(0, 16));
        server.qp.disconnect();
        assertEquals(new WorkCompletion(3, Status.FLUSHED, Opcode.RECV, 0, 0, client.qp.qpNumber()), client.next());
        assertEquals("disconnected by the peer", client.ended.get(5, TimeUnit.SECONDS));
        assertEquals("disconnected by the local side", server.ended.get(5, TimeUnit.SECONDS));
    }

    @Test
    void connectingWhereNothingListensFailsNamingTheAddress() throws Exception {
        RdmaDevice d = fabric.verbs("soft-i", InetAddress.getLoopbackAddress()).open();
        End e = new End(d);
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3261);
        ExecutionException x = assertThrows(ExecutionException.class, () -> d.connect(new ConnectParams(nowhere, e.pd, e.cq,
                new QpAttributes(4, 4, 1, 1, 7, 7), new byte[0], Duration.ofSeconds(1), why -> { })).toCompletableFuture()
                .get(5, TimeUnit.SECONDS));
        VerbsException v = assertInstanceOf(VerbsException.class, x.getCause());
        assertEquals(VerbsException.Reason.CONNECT, v.reason());
        assertTrue(v.getMessage().contains(nowhere.toString()), v.getMessage());
    }
}

package org.kiscsi.transport.iser.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.ConnectParams;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.MemoryWindow;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.kiscsi.transport.iser.verbs.WorkCompletion;
import org.kiscsi.transport.iser.verbs.WorkCompletion.Opcode;
import org.kiscsi.transport.iser.verbs.WorkCompletion.Status;

/**
 * Type 2 memory windows of the software provider: a bind grants the peer access through the
 * window's rkey alone and only within its range; a local invalidation or the peer's Send with
 * Invalidate ends it; binding again gives a new rkey, and none of it registers memory.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SoftVerbsWindowTest {
    private static final Set<Access> WINDOWED = EnumSet.of(Access.LOCAL_WRITE, Access.MW_BIND);
    private static final Set<Access> READ_WRITE = EnumSet.of(Access.REMOTE_READ, Access.REMOTE_WRITE);
    private final SoftFabric fabric = new SoftFabric();
    private final End client = new End();
    private final End server = new End();

    /** One side: its PD, CQ (completions land in a queue), queue pair and why it ended. */
    private static final class End {
        ProtectionDomain pd;
        final LinkedBlockingQueue<WorkCompletion> done = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        CompletionQueue cq;
        QueuePair qp;

        void open(RdmaDevice d) throws VerbsException {
            pd = d.allocatePd();
            CompletionQueue[] self = new CompletionQueue[1];
            cq = d.createCq(64, () -> {
                List<WorkCompletion> l = new ArrayList<>();
                self[0].poll(l, 64);
                self[0].requestNotify();
                self[0].poll(l, 64);
                done.addAll(l);
            });
            self[0] = cq;
            cq.requestNotify();
        }

        WorkCompletion next() throws InterruptedException {
            WorkCompletion wc = done.poll(5, TimeUnit.SECONDS);
            if (wc == null) {
                throw new AssertionError("no completion within 5 s");
            }
            return wc;
        }
    }

    @BeforeEach
    void connect() throws Exception {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260);
        server.open(fabric.verbs("soft-t", at.getAddress()).open());
        client.open(fabric.verbs("soft-i", InetAddress.getByName("127.0.0.2")).open());
        QpAttributes attrs = new QpAttributes(16, 16, 4, 4, 7, 7);
        fabric.verbs("soft-t", at.getAddress()).open().listen(at, new AcceptHandler() {
            @Override
            public Acceptance accept(InetSocketAddress from, byte[] privateData) {
                return new Acceptance(server.pd, server.cq, attrs, new byte[4], server.ended::complete);
            }

            @Override
            public void established(QueuePair qp) {
                server.qp = qp;
            }
        });
        client.qp = fabric.verbs("soft-i", InetAddress.getByName("127.0.0.2")).open().connect(new ConnectParams(at, client.pd,
                client.cq, attrs, new byte[] {(byte) 0x80, 0, 0, 0}, Duration.ofSeconds(1), client.ended::complete))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.qp == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @AfterEach
    void close() {
        fabric.close();
    }

    private MemoryRegion chunk() throws VerbsException {
        return client.pd.register(ByteBuffer.allocateDirect(8192), WINDOWED);
    }

    /** Binds {@code w} over [4096, 5120) of {@code mr}, signaled, and waits for it. */
    private int bind(MemoryWindow w, MemoryRegion mr) throws Exception {
        int rkey = client.qp.postBind(7, w, mr, mr.address() + 4096, 1024, READ_WRITE, true);
        assertEquals(new WorkCompletion(7, Status.SUCCESS, Opcode.BIND_MW, 0, 0, client.qp.qpNumber()), client.next());
        return rkey;
    }

    /** The server RDMA-writes {@code bytes} at {@code va} with {@code rkey}; the completion's status. */
    private Status write(long va, int rkey, byte[] bytes) throws Exception {
        MemoryRegion src = server.pd.register(ByteBuffer.allocateDirect(bytes.length), Set.of());
        src.buffer().put(bytes);
        server.qp.postSend(SendRequest.rdmaWrite(1, src.sge(0, bytes.length), va, rkey));
        return server.next().status();
    }

    @Test
    void aBoundWindowsRkeyReachesTheRegionWithinItsRangeAndRegistersNothing() throws Exception {
        MemoryRegion mr = chunk();
        long registrations = fabric.registrationsMade("soft-i");
        MemoryWindow w = client.pd.allocateWindow();
        assertFalse(w.valid(), "a type 2 window is not bound when allocated");
        int rkey = bind(w, mr);
        assertTrue(w.valid() && fabric.registered(rkey) && w.rkey() == rkey);
        assertNotEquals(mr.rkey(), rkey);
        assertEquals(Status.SUCCESS, write(mr.address() + 4096 + 10, rkey, "through the window".getBytes()));
        byte[] got = new byte[18];
        mr.buffer().get(4096 + 10, got);
        assertArrayEquals("through the window".getBytes(), got);
        assertEquals(registrations, fabric.registrationsMade("soft-i"), "binding registers no memory");
    }

    @Test
    void anAccessBeyondTheWindowIsRefusedThoughTheRegionCoversIt() throws Exception {
        MemoryRegion mr = chunk();
        int rkey = bind(client.pd.allocateWindow(), mr);
        assertEquals(Status.REMOTE_ACCESS_ERROR, write(mr.address() + 4096 + 1000, rkey, new byte[64]));
        assertTrue(server.ended.get(5, TimeUnit.SECONDS).contains("does not cover"), server.ended.get());
        assertArrayEquals(new byte[8192], bytes(mr), "nothing was written");
    }

    @Test
    void theRegionsOwnRkeyGrantsThePeerNothing() throws Exception {
        MemoryRegion mr = chunk();
        bind(client.pd.allocateWindow(), mr);
        assertEquals(Status.REMOTE_ACCESS_ERROR, write(mr.address() + 4096, mr.rkey(), new byte[16]));
        assertTrue(server.ended.get(5, TimeUnit.SECONDS).contains("does not allow REMOTE_WRITE"), server.ended.get());
    }

    @Test
    void aLocallyInvalidatedWindowRefusesTheAccessAndRebindingGivesANewRkey() throws Exception {
        MemoryRegion mr = chunk();
        MemoryWindow w = client.pd.allocateWindow();
        int first = bind(w, mr);
        client.qp.postLocalInvalidate(8, first);
        assertEquals(new WorkCompletion(8, Status.SUCCESS, Opcode.LOCAL_INV, 0, 0, client.qp.qpNumber()), client.next());
        assertFalse(w.valid() || fabric.registered(first));
        int second = bind(w, mr);
        assertNotEquals(first, second, "a new rkey for the new bind");
        assertEquals(first & ~0xFF, second & ~0xFF, "the same window, its key byte incremented");
        assertEquals(Status.SUCCESS, write(mr.address() + 4096, second, new byte[] {1}));
        assertEquals(1, fabric.windowsAllocated("soft-i"));
        assertEquals(Status.REMOTE_ACCESS_ERROR, write(mr.address() + 4096, first, new byte[] {2}), "the old rkey is refused");
        assertEquals(1, mr.buffer().get(4096));
    }

    @Test
    void thePeersSendWithInvalidateEndsTheWindow() throws Exception {
        MemoryRegion mr = chunk();
        MemoryWindow w = client.pd.allocateWindow();
        int rkey = bind(w, mr);
        MemoryRegion rx = client.pd.register(ByteBuffer.allocateDirect(64), Set.of(Access.LOCAL_WRITE));
        client.qp.postRecv(3, rx.sge(0, 64));
        MemoryRegion msg = server.pd.register(ByteBuffer.allocateDirect(8), Set.of());
        server.qp.postSend(SendRequest.sendWithInvalidate(4, msg.sge(0, 8), rkey));
        assertEquals(Status.SUCCESS, server.next().status());
        assertEquals(new WorkCompletion(3, Status.SUCCESS, Opcode.RECV, 8, rkey, client.qp.qpNumber()), client.next());
        assertFalse(w.valid() || fabric.registered(rkey));
        assertEquals(Status.REMOTE_ACCESS_ERROR, write(mr.address() + 4096, rkey, new byte[4]));
    }

    @Test
    void deallocatingAWindowEndsItsRkeyAtOnce() throws Exception {
        MemoryRegion mr = chunk();
        MemoryWindow w = client.pd.allocateWindow();
        int rkey = bind(w, mr);
        w.close();
        assertFalse(fabric.registered(rkey));
        assertEquals(Status.REMOTE_ACCESS_ERROR, write(mr.address() + 4096, rkey, new byte[4]));
    }

    @Test
    void bindingABoundWindowOrARegionWithoutMwBindFails() throws Exception {
        MemoryRegion plain = client.pd.register(ByteBuffer.allocateDirect(8192), Set.of(Access.LOCAL_WRITE));
        client.qp.postBind(9, client.pd.allocateWindow(), plain, plain.address(), 16, READ_WRITE, true);
        WorkCompletion wc = client.next();
        assertEquals(Status.MW_BIND_ERROR, wc.status());
        assertTrue(client.ended.get(5, TimeUnit.SECONDS).contains("without MW_BIND"), client.ended.get());
        assertThrows(VerbsException.class, () -> client.qp.postBind(10, client.pd.allocateWindow(), plain, plain.address(), 16,
                Set.of(Access.LOCAL_WRITE), true), "a window grants remote access only");
    }

    @Test
    void aTypeTwoWindowIsBoundOnlyWhenInvalid() throws Exception {
        MemoryRegion mr = chunk();
        MemoryWindow w = client.pd.allocateWindow();
        bind(w, mr);
        client.qp.postBind(11, w, mr, mr.address(), 16, READ_WRITE, true);
        assertEquals(Status.MW_BIND_ERROR, client.next().status());
        assertTrue(client.ended.get(5, TimeUnit.SECONDS).contains("bound already"), client.ended.get());
    }

    private static byte[] bytes(MemoryRegion mr) {
        byte[] b = new byte[mr.length()];
        mr.buffer().get(0, b);
        return b;
    }
}

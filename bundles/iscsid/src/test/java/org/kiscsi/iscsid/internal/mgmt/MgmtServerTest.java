package org.kiscsi.iscsid.internal.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.mgmt.MgmtAnswer;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtHandler;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;

/** The management socket for real: a unix socket in a temporary directory, the shared codec on both ends. */
class MgmtServerTest {
    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<MgmtServer> servers = new ArrayList<>();
    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(MgmtServer::close);
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private Path socket() {
        return dir.resolve("run/iscsid.sock");
    }

    /** The answers of a daemon: status and stop as the daemon's, two failing handlers (unknown ops: ManagementRoundTripTest). */
    private MgmtHandler dispatcher() {
        return (r, progress) -> switch (r.op()) {
            case "status" -> CompletableFuture.completedFuture(
                    MgmtAnswer.of(MgmtResponse.ok("up", List.of(Map.of("iscsid.pid", "4242")))));
            case "stop" -> CompletableFuture.completedFuture(
                    new MgmtAnswer(MgmtResponse.ok("stopping", List.of()), () -> events.add("after stop sent")));
            case "login" -> throw new IscsiException(IscsiError.OP_NOT_SUPP, "login: no session engine installed");
            case "logout" -> CompletableFuture.failedFuture(new IllegalStateException("boom"));
            case "broken" -> { // a progress the socket's thread cannot act on (its deadline overflows)
                progress.dueWithin(Duration.ofSeconds(Long.MAX_VALUE / 2), "forever");
                yield new CompletableFuture<MgmtAnswer>();
            }
            default -> CompletableFuture.completedFuture(MgmtAnswer.of(
                    MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), "unknown request '" + r.op() + "'")));
        };
    }

    private MgmtServer start(PeerCheck peers) throws Exception {
        MgmtServer s = MgmtServer.bind(socket(), T);
        servers.add(s);
        s.start(dispatcher(), peers, workers, ServerLimits.defaults(T));
        return s;
    }

    private PeerCheck me() throws Exception {
        return PeerCheck.rootAndOwnerOf(dir);
    }

    private MgmtResponse call(MgmtRequest r) throws Exception {
        return new MgmtClient(socket(), T).call(r);
    }

    @Test
    void answersRequestsFromTheSameUser() throws Exception {
        start(me());
        MgmtResponse r = call(MgmtRequest.of(MgmtOp.STATUS));
        assertTrue(r.isOk());
        assertEquals("4242", r.rows().get(0).get("iscsid.pid"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
    }

    @Test
    void aPeerThatIsNotAllowedGetsPermissionDenied() throws Exception {
        // only "nobody" may talk: this test's own user (a real SO_PEERCRED) is refused
        start(new PeerCheck(Set.of(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"))));
        MgmtResponse r = call(MgmtRequest.of(MgmtOp.STATUS));
        assertEquals(IscsiError.ACCESS.code(), r.status());
        assertTrue(r.message().startsWith("permission denied: user "), r.message());
    }

    @Test
    void aRequestInAnotherProtocolVersionGetsAClearInvalidRequestError() throws Exception {
        start(me());
        MgmtResponse r = call(new MgmtRequest(MgmtProtocol.VERSION + 1, "status", Map.of()));
        assertEquals(IscsiError.INVALID_MGMT_REQ.code(), r.status());
        assertEquals(MgmtProtocol.VERSION, r.version(), "answered in a version the daemon speaks");
        assertTrue(r.message().contains("management protocol version " + (MgmtProtocol.VERSION + 1) + " is not supported"),
                r.message());
    }

    @Test
    void garbageGetsInvalidRequest() throws Exception {
        start(me());

        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes()));
            ch.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (ch.read(b.clear()) > 0) {
                got.write(b.array(), 0, b.position());
            }
            MgmtResponse g = MgmtProtocol.readResponse(new ByteArrayInputStream(got.toByteArray()));
            assertEquals(IscsiError.INVALID_MGMT_REQ.code(), g.status());
            assertTrue(g.message().contains("not a kiscsi management frame"), g.message());
        }
    }

    @Test
    void handlerFailuresBecomeErrorAnswers() throws Exception {
        start(me());
        MgmtResponse login = call(MgmtRequest.of(MgmtOp.LOGIN));
        assertEquals(IscsiError.OP_NOT_SUPP.code(), login.status());
        assertEquals("login: no session engine installed", login.message());
        MgmtResponse logout = call(MgmtRequest.of(MgmtOp.LOGOUT));
        assertEquals(IscsiError.INTERNAL.code(), logout.status());
        assertTrue(logout.message().contains("boom"));
        assertEquals(IscsiError.INVALID_MGMT_REQ.code(), call(MgmtRequest.of(MgmtOp.SESSION_LIST)).status(),
                "an operation this daemon has no handler for");
    }

    @Test
    void theAfterSentActionRunsOnceTheAnswerIsOut() throws Exception {
        start(me());
        assertTrue(call(MgmtRequest.of(MgmtOp.STOP)).isOk());
        long end = System.nanoTime() + T.toNanos();
        while (events.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(List.of("after stop sent"), events);
    }

    @Test
    void aLiveDaemonsSocketIsNeverTakenOver() throws Exception {
        start(me());
        SocketInUseException e = assertThrows(SocketInUseException.class, () -> MgmtServer.bind(socket(), T));
        assertTrue(e.getMessage().contains("another iscsid (pid 4242) answers on " + socket()), e.getMessage());
        assertTrue(call(MgmtRequest.of(MgmtOp.STATUS)).isOk(), "the first daemon still answers");
    }

    @Test
    void aStaleSocketIsRemovedAndRebound() throws Exception {
        Files.createDirectories(socket().getParent());
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket()));
        } // closed without unlinking: what a killed daemon leaves
        assertTrue(Files.exists(socket()));
        start(me());
        assertTrue(call(MgmtRequest.of(MgmtOp.STATUS)).isOk());
    }

    @Test
    void somethingThatIsNotASocketIsLeftAlone() throws Exception {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "precious");
        SocketInUseException e = assertThrows(SocketInUseException.class, () -> MgmtServer.bind(socket(), T));
        assertTrue(e.getMessage().contains("is not a socket"));
        assertEquals("precious", Files.readString(socket()));
    }

    @Test
    void closeRemovesOnlyItsOwnSocket() throws Exception {
        MgmtServer first = start(me());
        first.close();
        assertFalse(Files.exists(socket()), "closed server removes its socket");

        MgmtServer second = start(me());
        Files.delete(socket()); // someone replaced the socket behind the second server's back
        MgmtServer third = MgmtServer.bind(socket(), T);
        servers.add(third);
        second.close();
        assertTrue(Files.exists(socket()), "the replacement is not removed by the old server");
    }

    @Test
    void clientsConnectingBeforeTheEventLoopStartsAreServedOnceItDoes() throws Exception {
        MgmtServer s = MgmtServer.bind(socket(), T);
        servers.add(s);
        CountDownLatch answered = new CountDownLatch(1);
        Thread client = new Thread(() -> {
            try {
                if (call(MgmtRequest.of(MgmtOp.STATUS)).isOk()) {
                    answered.countDown();
                }
            } catch (Exception e) {
                events.add("client: " + e);
            }
        });
        client.start();
        assertFalse(answered.await(300, TimeUnit.MILLISECONDS), "answered before the event loop ran");
        s.start(dispatcher(), me(), workers, ServerLimits.defaults(T));
        assertTrue(answered.await(5, TimeUnit.SECONDS), events.toString());
        client.join(5_000);
    }

    @Test
    void anAnswerThatFailsOnTheSocketsThreadDoesNotStopTheOthers() throws Exception {
        start(me());
        Thread broken = new Thread(() -> {
            try {
                call(new MgmtRequest(MgmtProtocol.VERSION, "broken", Map.of()));
            } catch (Exception e) {
                events.add("broken: " + e);
            }
        });
        broken.start();
        Thread.sleep(300);
        long t0 = System.nanoTime();
        MgmtResponse r = call(MgmtRequest.of(MgmtOp.STATUS));
        assertTrue(r.isOk(), r.message());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "answered at once");
        broken.join(10_000);
    }
}

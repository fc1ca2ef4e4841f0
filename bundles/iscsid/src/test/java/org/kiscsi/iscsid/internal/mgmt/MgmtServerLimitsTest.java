package org.kiscsi.iscsid.internal.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kiscsi.api.IscsiError;
import org.kiscsi.mgmt.ManagementEndpoint;
import org.kiscsi.mgmt.MgmtClient;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.mgmt.RemoteManagement;

/** A silent, slow or hostile client never blocks another, and the daemon's memory stays bounded. */
class MgmtServerLimitsTest {
    private static final Duration REQUEST_DEADLINE = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final List<SocketChannel> clients = new ArrayList<>();
    private MgmtServer server;

    @BeforeEach
    void start() throws Exception {
        server = MgmtServer.bind(dir.resolve("run/iscsid.sock"), Duration.ofSeconds(2));
        server.start(new ManagementEndpoint(new TestManagement()), PeerCheck.rootAndOwnerOf(dir), workers,
                new ServerLimits(REQUEST_DEADLINE, Duration.ofSeconds(5), 256, MgmtProtocol.MAX_REQUEST_PAYLOAD));
    }

    @AfterEach
    void stop() {
        clients.forEach(MgmtServer::closeQuietly);
        server.close();
        workers.shutdownNow();
    }

    private SocketChannel connect() throws Exception {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()));
        clients.add(ch);
        return ch;
    }

    /** How long a status request takes, asserting it is answered. */
    private long statusMillis() throws Exception {
        long t0 = System.nanoTime();
        RemoteManagement m = new RemoteManagement(new MgmtClient(server.socket(), Duration.ofSeconds(5)));
        assertEquals("4242", m.status().toCompletableFuture().get(5, TimeUnit.SECONDS).fields().get("iscsid.pid"));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static byte[] header(long length) {
        return ByteBuffer.allocate(12).putInt(0x4B53434D).putShort((short) 2).put((byte) 1).put((byte) 0)
                .putInt((int) length).array();
    }

    private static MgmtResponse readAnswer(SocketChannel ch) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (ch.read(b.clear()) > 0) {
            got.write(b.array(), 0, b.position());
        }
        return MgmtProtocol.readResponse(new ByteArrayInputStream(got.toByteArray()));
    }

    @Test
    void twoHundredIdleConnectionsDoNotKeepStatusWaiting() throws Exception {
        for (int i = 0; i < 200; i++) {
            connect();
        }
        Thread.sleep(100);
        long ms = statusMillis();
        assertTrue(ms < 1000, "status took " + ms + " ms with 200 idle connections open");
    }

    @Test
    void aClientSendingOneByteASecondIsCutAtItsDeadlineWhileOthersAreAnsweredAtOnce() throws Exception {
        SocketChannel slow = connect();
        long t0 = System.nanoTime();
        byte[] frame = header(10);
        Thread dribble = new Thread(() -> {
            try {
                for (int i = 0; i < frame.length; i++) {
                    slow.write(ByteBuffer.wrap(frame, i, 1));
                    Thread.sleep(1000);
                }
            } catch (Exception e) {
                // cut off: what this test expects
            }
        });
        dribble.start();
        Thread.sleep(300);
        for (int i = 0; i < 3; i++) {
            long ms = statusMillis();
            assertTrue(ms < 500, "status took " + ms + " ms beside a slow client");
        }
        MgmtResponse cut = readAnswer(slow);
        long cutAfter = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(IscsiError.INVALID_MGMT_REQ.code(), cut.status());
        assertTrue(cut.message().contains("no whole request within 1500 ms"), cut.message());
        assertTrue(cutAfter >= 1400 && cutAfter < 4000, "cut after " + cutAfter + " ms");
        dribble.join(15_000);
    }

    @Test
    void framesClaimingTwoGibAreRefusedAtOnceAndHalfSentFramesKeepTheHeapBounded() throws Exception {
        long before = usedHeapAfterGc();
        for (int i = 0; i < 50; i++) {
            SocketChannel ch = connect();
            long t0 = System.nanoTime();
            ch.write(ByteBuffer.wrap(header(2L << 30)));
            MgmtResponse r = readAnswer(ch); // read to the end: the daemon closed the connection
            assertEquals(IscsiError.INVALID_MGMT_REQ.code(), r.status());
            assertTrue(r.message().contains("exceeds the limit of 65536"), r.message());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000);
        }
        byte[] half = new byte[30 * 1024];
        for (int i = 0; i < 200; i++) {
            SocketChannel ch = connect();
            ch.write(ByteBuffer.wrap(header(60 * 1024)));
            ch.write(ByteBuffer.wrap(half));
        }
        Thread.sleep(300);
        long grown = usedHeapAfterGc() - before;
        assertTrue(grown < 48L << 20, "heap grew by " + (grown >> 20) + " MiB");
        assertTrue(statusMillis() < 1000);
    }

    @Test
    void atTheBoundTheConnectionWaitingLongestMakesRoom() throws Exception {
        server.close();
        server = MgmtServer.bind(dir.resolve("run/iscsid.sock"), Duration.ofSeconds(2));
        server.start(new ManagementEndpoint(new TestManagement()), PeerCheck.rootAndOwnerOf(dir), workers,
                new ServerLimits(Duration.ofSeconds(30), Duration.ofSeconds(5), 8, MgmtProtocol.MAX_REQUEST_PAYLOAD));
        SocketChannel oldest = connect();
        Thread.sleep(20);
        for (int i = 0; i < 7; i++) {
            connect();
        }
        Thread.sleep(100);
        assertTrue(statusMillis() < 1000, "answered although the bound was reached");
        oldest.configureBlocking(true);
        assertEquals(-1, oldest.read(ByteBuffer.allocate(16)), "the longest-waiting connection was closed");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}

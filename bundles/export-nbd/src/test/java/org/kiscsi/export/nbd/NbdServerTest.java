package org.kiscsi.export.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server against a scripted client over a Unix socket, on an in-memory LU. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NbdServerTest {
    @TempDir
    Path tmp;
    NbdServer server;
    MemoryDevice thin;
    MemoryDevice full;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        server = NbdServer.start(new NbdServerOptions(4, 1 << 20, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        thin = new MemoryDevice(512, 8192, true);
        full = new MemoryDevice(4096, 256, false);
        server.addExport(NbdExport.open("thin", "a thin LU", thin, false).toCompletableFuture().get());
        server.addExport(NbdExport.open("full", "", full, false).toCompletableFuture().get());
        socket = server.listenUnix(tmp.resolve("run/nbd.sock"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawClient connect(String export, boolean structured, boolean meta) throws IOException {
        RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES);
        c.go(export, structured, meta);
        return c;
    }

    /** nbdcopy opens new connections for each copy: their READ buffers are the ones earlier connections left. */
    @Test
    void readBuffersServeLaterConnections() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (RawClient c = connect("thin", round % 2 == 0, false)) {
                for (int i = 0; i < 4; i++) {
                    c.request(0, Nbd.CMD_READ, i, i * 65536L, 65536, null);
                }
                for (int i = 0; i < 4; i++) {
                    if (round % 2 == 0) {
                        c.chunk();
                    } else {
                        c.simpleReply();
                        c.read(65536);
                    }
                }
            }
        }
        // 12 READs on 3 connections, at most 4 (maxInFlight) out at once: each buffer is given back on the
        // selector thread right after its reply is written, before a later connection is served
        long made = server.bufferPool().allocated();
        assertTrue(made >= 1 && made <= 4, made + " buffers made");
        assertTrue(server.bufferPool().kept() >= 65536, "kept: " + server.bufferPool().kept());
    }

    @Test
    void socketIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void infoTellsSizeFlagsAndBlockSizesFromTheLu() throws Exception {
        try (RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.option(Nbd.OPT_INFO, RawClient.goData("thin", Nbd.INFO_DESCRIPTION, Nbd.INFO_BLOCK_SIZE));
            ByteBuffer export = ByteBuffer.wrap((byte[]) c.optionReply(Nbd.OPT_INFO)[1]);
            assertEquals(Nbd.INFO_EXPORT, export.getShort());
            assertEquals(8192L * 512, export.getLong());
            int flags = export.getShort();
            assertTrue((flags & Nbd.TFLAG_SEND_TRIM) != 0 && (flags & Nbd.TFLAG_SEND_FUA) != 0);
            assertEquals("a thin LU", new String((byte[]) c.optionReply(Nbd.OPT_INFO)[1], 2, 9));
            ByteBuffer sizes = ByteBuffer.wrap((byte[]) c.optionReply(Nbd.OPT_INFO)[1]);
            assertEquals(Nbd.INFO_BLOCK_SIZE, sizes.getShort());
            // minimum = the LU's block, preferred = OPTIMAL TRANSFER LENGTH 128 x 512, maximum = 2048 x 512
            assertEquals(List.of(512, 65536, 1 << 20), List.of(sizes.getInt(), sizes.getInt(), sizes.getInt()));
            assertEquals(Nbd.REP_ACK, c.optionReply(Nbd.OPT_INFO)[0]);
            c.option(Nbd.OPT_INFO, RawClient.goData("nothing"));
            assertEquals(Nbd.REP_ERR_UNKNOWN, c.optionReply(Nbd.OPT_INFO)[0]);
        }
    }

    @Test
    void unknownOptionIsUnsupportedAndTheNextOneIsRead() throws Exception {
        try (RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE)) {
            c.option(42, new byte[] { 1, 2, 3 });
            assertEquals(Nbd.REP_ERR_UNSUP, c.optionReply(42)[0]);
            c.option(Nbd.OPT_STARTTLS, new byte[0]);
            assertEquals(Nbd.REP_ERR_UNSUP, c.optionReply(Nbd.OPT_STARTTLS)[0]);
            c.option(Nbd.OPT_LIST, new byte[0]);
            assertEquals(Nbd.REP_SERVER, c.optionReply(Nbd.OPT_LIST)[0]);
            assertEquals(Nbd.REP_SERVER, c.optionReply(Nbd.OPT_LIST)[0]);
            assertEquals(Nbd.REP_ACK, c.optionReply(Nbd.OPT_LIST)[0]);
            c.option(Nbd.OPT_LIST, new byte[1]);
            assertEquals(Nbd.REP_ERR_INVALID, c.optionReply(Nbd.OPT_LIST)[0]);
            c.option(Nbd.OPT_ABORT, new byte[0]);
            assertEquals(Nbd.REP_ACK, c.optionReply(Nbd.OPT_ABORT)[0]);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void writeReadRoundTripWithStructuredAndSimpleReplies() throws Exception {
        byte[] data = new byte[8192];
        new java.util.Random(1).nextBytes(data);
        try (RawClient c = connect("thin", true, false)) {
            c.request(Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE, 1, 4096, data.length, data);
            assertEquals(List.of(1, Nbd.REPLY_TYPE_NONE, 1L), Arrays.asList(c.chunk()).subList(0, 3));
            c.request(0, Nbd.CMD_READ, 2, 4096, data.length, null);
            Object[] r = c.chunk();
            assertEquals(Nbd.REPLY_TYPE_OFFSET_DATA, r[1]);
            ByteBuffer d = ByteBuffer.wrap((byte[]) r[3]);
            assertEquals(4096, d.getLong());
            assertArrayEquals(data, Arrays.copyOfRange(d.array(), 8, d.capacity()));
        }
        assertTrue(thin.calls.contains("write 8 16 fua"), thin.calls.toString());
        try (RawClient c = connect("thin", false, false)) {
            c.request(0, Nbd.CMD_READ, 9, 4096, 512, null);
            assertArrayEquals(new long[] { 0, 9 }, c.simpleReply());
            assertArrayEquals(Arrays.copyOf(data, 512), c.read(512).array());
        }
    }

    @Test
    void badRequestsGetEinvalAndTheConnectionGoesOn() throws Exception {
        try (RawClient c = connect("full", false, false)) {
            long size = 256L * 4096;
            c.request(0, Nbd.CMD_READ, 1, size - 4096, 8192, null); // past the end
            assertArrayEquals(new long[] { Nbd.EINVAL, 1 }, c.simpleReply());
            c.request(0, Nbd.CMD_READ, 2, 512, 4096, null); // not aligned to 4096
            assertArrayEquals(new long[] { Nbd.EINVAL, 2 }, c.simpleReply());
            c.request(0x100, Nbd.CMD_READ, 3, 0, 4096, null); // unknown flag
            assertArrayEquals(new long[] { Nbd.EINVAL, 3 }, c.simpleReply());
            c.request(0, 99, 4, 0, 4096, null); // unknown command
            assertArrayEquals(new long[] { Nbd.EINVAL, 4 }, c.simpleReply());
            c.request(0, Nbd.CMD_WRITE, 5, size, 4096, new byte[4096]); // past the end, payload skipped
            assertArrayEquals(new long[] { Nbd.EINVAL, 5 }, c.simpleReply());
            c.request(0, Nbd.CMD_TRIM, 6, 0, 4096, null); // no UNMAP on this LU
            assertArrayEquals(new long[] { Nbd.EINVAL, 6 }, c.simpleReply());
            c.request(Nbd.CMD_FLAG_FAST_ZERO, Nbd.CMD_WRITE_ZEROES, 7, 0, 4096, null);
            assertArrayEquals(new long[] { Nbd.ENOTSUP, 7 }, c.simpleReply());
            c.request(0, Nbd.CMD_READ, 8, 0, 4096, null);
            assertArrayEquals(new long[] { 0, 8 }, c.simpleReply());
            c.read(4096);
        }
        assertEquals(List.of("read 0 1"), full.calls);
    }

    @Test
    void zeroesTrimFlushAndBlockStatusOnAThinLu() throws Exception {
        try (RawClient c = connect("thin", true, true)) {
            c.request(0, Nbd.CMD_WRITE, 1, 0, 4096, new byte[4096]);
            c.chunk();
            c.request(Nbd.CMD_FLAG_NO_HOLE, Nbd.CMD_WRITE_ZEROES, 2, 4096, 4096, null);
            c.chunk();
            c.request(Nbd.CMD_FLAG_FAST_ZERO, Nbd.CMD_WRITE_ZEROES, 3, 8192, 4096, null);
            c.chunk();
            c.request(Nbd.CMD_FLAG_FUA, Nbd.CMD_TRIM, 4, 0, 1024, null);
            c.chunk();
            c.request(0, Nbd.CMD_FLUSH, 5, 0, 0, null);
            c.chunk();
            c.request(0, Nbd.CMD_BLOCK_STATUS, 6, 0, 16384, null);
            Object[] r = c.chunk();
            assertEquals(Nbd.REPLY_TYPE_BLOCK_STATUS, r[1]);
            ByteBuffer b = ByteBuffer.wrap((byte[]) r[3]);
            assertEquals(Nbd.BASE_ALLOCATION_ID, b.getInt());
            int hz = Nbd.STATE_HOLE | Nbd.STATE_ZERO;
            // 1 KiB trimmed, 7 KiB written (data and NO_HOLE zeroes), 8 KiB unmapped by the fast zero
            assertEquals(List.of(1024, hz, 7168, 0, 8192, hz), List.of(b.getInt(), b.getInt(), b.getInt(), b.getInt(),
                    b.getInt(), b.getInt()));
        }
        assertEquals(List.of("write 0 8", "writesame 8 8", "writesame 16 8 unmap", "unmap 0 2", "sync 0 2", "flush",
                "getlbastatus 0"), thin.calls);
    }

    @Test
    void repliesComeInCompletionOrderMatchedByCookie() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        thin.readGate = gate;
        thin.gatedLba = 0;
        try (RawClient c = connect("thin", false, false)) {
            c.request(0, Nbd.CMD_READ, 100, 0, 512, null);
            c.request(0, Nbd.CMD_READ, 200, 512, 512, null);
            assertEquals(200, c.simpleReply()[1]);
            c.read(512);
            gate.complete(null);
            assertEquals(100, c.simpleReply()[1]);
            c.read(512);
        }
    }

    @Test
    void protocolViolationsCloseThatConnectionOnly() throws Exception {
        try (RawClient other = connect("thin", false, false)) {
            try (RawClient c = new RawClient(socket)) {
                c.hello(0x80 | Nbd.FLAG_FIXED_NEWSTYLE); // unknown client flag
                assertTrue(c.closedByServer());
            }
            try (RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE)) {
                c.send(ByteBuffer.allocate(16).putLong(0x1234).putInt(7).putInt(0).flip()); // wrong option magic
                assertTrue(c.closedByServer());
            }
            try (RawClient c = new RawClient(socket).hello(Nbd.FLAG_FIXED_NEWSTYLE)) {
                c.send(ByteBuffer.allocate(16).putLong(Nbd.IHAVEOPT).putInt(Nbd.OPT_GO).putInt(1 << 30).flip());
                assertEquals(Nbd.REP_ERR_TOO_BIG, c.optionReply(Nbd.OPT_GO)[0]);
                assertTrue(c.closedByServer());
            }
            try (RawClient c = connect("thin", false, false)) {
                c.send(ByteBuffer.allocate(28).putInt(0, 0xdeadbeef)); // wrong request magic
                assertTrue(c.closedByServer());
            }
            other.request(0, Nbd.CMD_READ, 1, 0, 512, null);
            assertArrayEquals(new long[] { 0, 1 }, other.simpleReply());
            other.read(512);
        }
    }

    @Test
    void aClientThatStopsReadingIsBackPressuredThenDropped() throws Exception {
        try (RawClient slow = connect("thin", false, false); RawClient other = connect("full", false, false)) {
            // 1 MiB reads: the socket buffers fill, the server stops reading at its 1 MiB / 4 request limit
            int sent = 0;
            slow.ch.configureBlocking(false);
            ByteBuffer req = ByteBuffer.allocate(28);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                req.clear().putInt(Nbd.REQUEST_MAGIC).putShort((short) 0).putShort((short) Nbd.CMD_READ).putLong(sent)
                        .putLong(0).putInt(1 << 20).flip();
                if (slow.ch.write(req) == 0) {
                    break;
                }
                sent++;
                if (sent > 100_000) {
                    break;
                }
            }
            long reads = thin.calls.stream().filter(s -> s.startsWith("read")).count();
            assertTrue(reads <= 8, "the LU saw " + reads + " reads of a client that reads no reply");
            other.request(0, Nbd.CMD_READ, 1, 0, 4096, null);
            assertArrayEquals(new long[] { 0, 1 }, other.simpleReply());
            other.read(4096);
            slow.ch.configureBlocking(true);
            Thread.sleep(3500); // the 2 s stall timeout, checked each second
            assertTrue(slow.closedByServer());
        }
    }
}

package org.kiscsi.transport.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.session.ConnectionInfo;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.scsi.ScsiBlockDevice;
import org.kiscsi.testkit.peers.Loopback;
import org.kiscsi.testkit.peers.LunBacking;
import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.TgtTarget;
import org.kiscsi.testkit.peers.Tgtd;

/**
 * The example transport carrying real sessions: the engine, given only the {@code nio} transport,
 * logs in to a tgtd of the test's own through a record naming it ({@code iface.transport_name}),
 * with CRC32C digests, moves data both ways (large transfers and many small ones in flight at once),
 * binds the iface's address, and logs out leaving no connection behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NioTgtdIT {
    private static final String IQN = "iqn.2026-11.org.kiscsi.it:nio";
    private static final String INITIATOR = "iqn.2026-11.org.kiscsi.it:nio-initiator";
    private static Tgtd tgtd;
    private static TgtTarget target;
    private NioTransport nio;
    private IscsiEngine engine;

    @BeforeAll
    static void startTgtd() {
        tgtd = Tgtd.start(Loopback.IPV4);
        target = tgtd.createTarget(IQN);
        target.addLun(1, LunBacking.file(32 << 20));
        target.set("HeaderDigest", "CRC32C,None");
        target.set("DataDigest", "CRC32C,None");
        target.allowAll();
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @BeforeEach
    void engine() {
        nio = new NioTransport();
        engine = IscsiEngine.builder().initiatorName(INITIATOR).transport(nio).build();
    }

    @AfterEach
    void close() {
        engine.close();
        nio.close();
    }

    private NodeRecord record() {
        return NodeRecord.create(new NodeKey(IscsiName.of(IQN), tgtd.portal(), null), RecordValues.empty()
                .with(NodeKeys.TRANSPORT_NAME, NioTransport.NAME).with(NodeKeys.LOGIN_TIMEOUT, "5")
                .with(NodeKeys.LOGOUT_TIMEOUT, "5").with(NodeKeys.SCSI_CMD_TIMEOUT, "20")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0"));
    }

    private static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void logsInWithDigestsMovesDataAndLogsOut() throws Exception {
        SessionInfo s = await(engine.login(record().with(NodeKeys.HEADER_DIGEST, "CRC32C")
                .with(NodeKeys.DATA_DIGEST, "CRC32C")));
        ConnectionInfo c = s.connections().get(0);
        assertEquals(NioTransport.NAME, c.transport());
        assertEquals("CRC32C", c.negotiated().get("HeaderDigest"));
        assertEquals("CRC32C", c.negotiated().get("DataDigest"));
        assertEquals(1, nio.openConnections());
        assertTrue(target.connections().stream().anyMatch(x -> x.initiator().equals(INITIATOR)),
                "tgtd lists our connection: " + target.connections());

        BlockDevice disk = await(ScsiBlockDevice.open(engine.executor(s.sid()), 1));
        int block = disk.blockSize();
        // one transfer larger than MaxBurstLength and the socket buffers: R2Ts, many Data-Out and Data-In PDUs
        byte[] big = new byte[4 << 20];
        new Random(1).nextBytes(big);
        await(disk.write(16, ByteBuffer.wrap(big), false));
        ByteBuffer in = ByteBuffer.allocate(big.length);
        await(disk.read(16, in));
        assertArrayEquals(big, in.array(), "4 MiB read back");

        // 256 small writes in flight together, then read back one by one
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        byte[][] blocks = new byte[256][];
        long base = 16 + big.length / block;
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new byte[block * 8];
            new Random(100 + i).nextBytes(blocks[i]);
            writes.add(disk.write(base + 8L * i, ByteBuffer.wrap(blocks[i]), false).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < blocks.length; i++) {
            ByteBuffer b = ByteBuffer.allocate(block * 8);
            await(disk.read(base + 8L * i, b));
            assertArrayEquals(blocks[i], b.array(), "block group " + i);
        }

        await(engine.logout(s.sid()));
        assertTrue(engine.sessions().isEmpty());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (nio.openConnections() != 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(0, nio.openConnections(), "the logout's connection is still open");
    }

    @Test
    void bindsTheIfaceAddress() throws Exception {
        SessionInfo s = await(engine.login(record().with(NodeKeys.IFACE_IPADDRESS, "127.0.0.2")));
        assertTrue(s.connections().get(0).localAddress().startsWith("127.0.0.2:"), s.connections().get(0).localAddress());
        List<TgtShow.Connection> seen = target.connections();
        assertTrue(seen.stream().anyMatch(x -> x.initiator().equals(INITIATOR) && x.address().equals("127.0.0.2")),
                "tgtd sees the connection from 127.0.0.2: " + seen);
        await(engine.logout(s.sid()));
    }
}

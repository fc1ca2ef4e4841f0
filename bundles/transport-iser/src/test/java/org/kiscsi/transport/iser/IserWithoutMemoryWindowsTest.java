package org.kiscsi.transport.iser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.iser.internal.IserConnection;
import org.kiscsi.transport.iser.internal.IserHeader;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;

/**
 * A device without memory windows (the soft provider switched to refuse ibv_alloc_mw as
 * UNSUPPORTED): the connection registers each data task's pool block for that task alone, so I/O
 * goes on, and every such STag is dead once its task ended.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IserWithoutMemoryWindowsTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:iser-no-windows";
    private static final String DEVICE = "soft-no-windows";
    private SoftFabric fabric;
    private IserTestTarget target;
    private IserTransport iser;
    private IscsiEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        fabric = new SoftFabric();
        fabric.withoutMemoryWindows(DEVICE);
        target = new IserTestTarget(fabric, new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260), IQN, 4096);
        // every write's data solicited, so each write task advertises a Write STag
        target.ownImmediateData = false;
        target.ownInitialR2T = true;
        iser = new IserTransport(fabric.verbs(DEVICE, InetAddress.getLoopbackAddress()), IserOptions.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        iser.close();
        target.close();
        fabric.close();
        assertEquals(List.of(), target.errors, "the target's errors");
    }

    private ScsiTaskExecutor login() throws Exception {
        engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.test:initiator").transport(iser).build();
        NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(IQN), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "3").with(NodeKeys.SCSI_CMD_TIMEOUT, "10")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.TRANSPORT_NAME, IserTransport.NAME));
        return engine.executor(IserEndToEndTest.await(engine.login(r)).sid());
    }

    @Test
    void readsAndWritesWorkWithOneRegistrationPerDataTaskEachDeadAtItsEnd() throws Exception {
        ScsiTaskExecutor x = login();
        int[] sizes = {512, 4096, 65536, 1 << 20};
        // the pool's chunks are registered on first need
        for (int size : sizes) {
            assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(0, size / 512),
                    ByteBuffer.wrap(new byte[size])))).isGood());
        }
        long before = fabric.registrationsMade(DEVICE);
        int headersBefore = target.commandHeaders.size();
        Random random = new Random(7);
        int dataTasks = 0;
        for (int i = 0; i < 60; i++) {
            target.sendWithInvalidate = i % 2 == 0; // asked for, but the initiator's CM private data forbids it
            int size = sizes[random.nextInt(sizes.length)];
            byte[] data = new byte[size];
            random.nextBytes(data);
            int lba = random.nextInt(1024);
            assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(lba, size / 512),
                    ByteBuffer.wrap(data)))).isGood());
            ByteBuffer in = ByteBuffer.allocate(size);
            assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(lba, size / 512), in))).isGood());
            assertArrayEquals(data, in.array(), "I/O " + i + " of " + size + " bytes");
            dataTasks += 2;
        }
        assertEquals(dataTasks, fabric.registrationsMade(DEVICE) - before, "one registration per data task");
        assertEquals(0, fabric.windowsAllocated(DEVICE), "no window was ever allocated");
        assertEquals(0xC0, target.connections.get(0).initiatorFlags(), "ZBVA and Send with Invalidate not supported");
        List<IserHeader> headers = new ArrayList<>(target.commandHeaders.subList(headersBefore, target.commandHeaders.size()));
        assertEquals(dataTasks, headers.size());
        for (IserHeader h : headers) {
            int stag = h.wsv() ? h.writeStag() : h.readStag();
            assertTrue(h.wsv() != h.rsv() && stag != 0, h.toString());
            assertFalse(fabric.registered(stag), "STag 0x" + Integer.toHexString(stag) + " of an ended task still grants access");
        }
        // and the target's RDMA to a finished read's STag is refused: the connection fails, never the memory
        IserHeader lastRead = headers.get(headers.size() - 1);
        assertTrue(lastRead.rsv(), lastRead.toString());
        target.connections.get(0).writeLate(lastRead);
        fabric.drain();
        assertTrue(target.lateWriteStatus.get(5, TimeUnit.SECONDS).contains("REMOTE_ACCESS_ERROR"), target.lateWriteStatus.get());
    }

    @Test
    void theConnectionSaysHowTheTargetReachesTaskData() throws Exception {
        IserConnection c = connect(iser);
        assertTrue(c.dataMemory().startsWith("a registration per task (no memory windows: soft device " + DEVICE), c.dataMemory());
        assertTrue(c.toString().contains(c.dataMemory()), c.toString());
        c.close();
        IserTransport windowed = new IserTransport(fabric.verbs("soft-windows", InetAddress.getLoopbackAddress()), IserOptions.DEFAULTS);
        try {
            IserConnection w = connect(windowed);
            assertTrue(w.dataMemory().startsWith("memory windows"), w.dataMemory());
            assertEquals(1, fabric.windowsAllocated("soft-windows"), "allocated once at setup, kept for the first bind");
            w.close();
        } finally {
            windowed.close();
        }
    }

    private IserConnection connect(IserTransport t) throws Exception {
        return (IserConnection) IserEndToEndTest.await(t.connect(ConnectRequest.to(target.portal(), Duration.ofSeconds(5)),
                new TransportListener() {
                    @Override
                    public void received(PduBuffer pdu) {
                        pdu.release();
                    }

                    @Override
                    public void closed(Throwable cause) {
                    }
                }));
    }
}

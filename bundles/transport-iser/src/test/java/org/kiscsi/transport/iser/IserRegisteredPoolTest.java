package org.kiscsi.transport.iser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.DataDirection;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.engine.IscsiEngine;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.iser.internal.IserConnection;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.IserTestTarget;

/** The connection's registered memory is a bounded pool: registrations stay put under I/O, come back after a loss, and run out clearly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IserRegisteredPoolTest {
    private static final String IQN = "iqn.2026-11.org.kiscsi.test:iser-pool";
    private static final String DEVICE = "soft-initiator";
    private SoftFabric fabric;
    private IserTestTarget target;
    private IserTransport iser;
    private IscsiEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        fabric = new SoftFabric();
        target = new IserTestTarget(fabric, new InetSocketAddress(InetAddress.getLoopbackAddress(), 3260), IQN, 4096);
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (iser != null) {
            iser.close();
        }
        target.close();
        fabric.close();
        assertEquals(List.of(), target.errors, "the target's errors");
    }

    private ScsiTaskExecutor login(IserOptions options) throws Exception {
        iser = new IserTransport(fabric.verbs(DEVICE, InetAddress.getLoopbackAddress()), options);
        engine = IscsiEngine.builder().initiatorName("iqn.2026-11.org.kiscsi.test:initiator").transport(iser).build();
        NodeRecord r = NodeRecord.create(new NodeKey(IscsiName.of(IQN), target.portal(), null), RecordValues.empty()
                .with(NodeKeys.LOGIN_TIMEOUT, "3").with(NodeKeys.LOGOUT_TIMEOUT, "3").with(NodeKeys.SCSI_CMD_TIMEOUT, "10")
                .with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0").with(NodeKeys.TRANSPORT_NAME, IserTransport.NAME));
        return engine.executor(IserEndToEndTest.await(engine.login(r)).sid());
    }

    @Test
    void registrationsDoNotGrowPerIo() throws Exception {
        ScsiTaskExecutor x = login(IserOptions.DEFAULTS);
        Random random = new Random(1);
        int[] sizes = {512, 4096, 65536, 131072, 1 << 20};
        // every size once: the pool's chunks are registered on first need
        for (int size : sizes) {
            assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(0, size / 512),
                    ByteBuffer.wrap(new byte[size])))).isGood());
            assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(0, size / 512),
                    ByteBuffer.allocate(size)))).isGood());
        }
        long before = fabric.registrationsMade(DEVICE);
        long windowsBefore = fabric.windowsAllocated(DEVICE);
        for (int i = 0; i < 1000; i++) {
            // every other response ends its window by Send with Invalidate, the rest are invalidated locally
            target.sendWithInvalidate = i % 2 == 0;
            int size = sizes[random.nextInt(sizes.length)];
            byte[] data = new byte[size];
            random.nextBytes(data);
            int lba = random.nextInt(1024);
            assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(lba, size / 512),
                    ByteBuffer.wrap(data)))).isGood());
            if (i % 10 == 0) {
                ByteBuffer in = ByteBuffer.allocate(size);
                assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(lba, size / 512), in))).isGood());
                assertArrayEquals(data, in.array(), "I/O " + i);
            }
        }
        assertEquals(before, fabric.registrationsMade(DEVICE), "memory registrations over 1,100 I/Os (" + before + " before them)");
        assertEquals(windowsBefore, fabric.windowsAllocated(DEVICE), "each task's window is one bound again, not a new one");
        assertEquals(0, fabric.windowsBound(DEVICE), "no finished task's window is still bound");
        assertTrue(before <= 1 + IserOptions.DEFAULT_POOL_CHUNKS, "the receive ring and the pool's chunks: " + before);
    }

    /** A transport connection without the engine, so the test can announce and end tasks itself. */
    private IserConnection connect(IserOptions options, CompletableFuture<Throwable> closed) throws Exception {
        iser = new IserTransport(fabric.verbs(DEVICE, InetAddress.getLoopbackAddress()), options);
        return (IserConnection) IserEndToEndTest.await(iser.connect(ConnectRequest.to(target.portal(), Duration.ofSeconds(5)),
                new TransportListener() {
                    @Override
                    public void received(PduBuffer pdu) {
                        pdu.release();
                    }

                    @Override
                    public void closed(Throwable cause) {
                        closed.complete(cause);
                    }
                }));
    }

    @Test
    void buffersComeBackAfterALostConnection() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        IserConnection c = connect(IserOptions.DEFAULTS, closed);
        c.taskStarted(new TaskBuffers(1, DataDirection.IN, null, 0, ByteBuffer.allocate(65536), 65536));
        c.taskStarted(new TaskBuffers(2, DataDirection.OUT, ByteBuffer.allocate(32768), 32768, null, 0, 8192));
        PduBuffer unsent = c.allocate(0, 8192);
        assertTrue(c.poolBytesInUse() >= 65536 + 32768 - 8192 + 8192, "in use: " + c.poolBytesInUse());
        target.dropConnections();
        closed.get(10, TimeUnit.SECONDS);
        assertTrue(c.poolBytesInUse() > 0, "tasks keep their buffers until the engine ends them");
        c.taskEnded(1, TaskEnd.CONNECTION_LOST);
        c.taskEnded(2, TaskEnd.CONNECTION_LOST);
        unsent.release();
        assertEquals(0, c.poolBytesInUse(), "every block back");
        assertEquals(0, c.tasksRegistered());
        assertEquals(0, c.buffersOutstanding());
    }

    @Test
    void anExhaustedPoolRefusesTheTaskAndServesOnceMemoryIsBack() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        IserConnection c = connect(IserOptions.DEFAULTS.withPool(64 << 10, 1), closed);
        c.taskStarted(new TaskBuffers(1, DataDirection.IN, null, 0, ByteBuffer.allocate(65536), 65536));
        IscsiException e = assertThrows(IscsiException.class,
                () -> c.taskStarted(new TaskBuffers(2, DataDirection.IN, null, 0, ByteBuffer.allocate(4096), 4096)));
        assertTrue(e.getMessage().contains("needs 4096 bytes of registered memory and the pool has no room now (65536 of 65536")
                && e.getMessage().contains("poolChunks"), e.getMessage());
        assertEquals(1, c.tasksRegistered(), "the refused task holds nothing");
        long registrations = fabric.registrationsMade(DEVICE);
        c.taskEnded(1, TaskEnd.ABORTED);
        c.taskStarted(new TaskBuffers(3, DataDirection.IN, null, 0, ByteBuffer.allocate(4096), 4096));
        c.taskStarted(new TaskBuffers(4, DataDirection.OUT, ByteBuffer.allocate(32768), 32768, null, 0));
        assertEquals(registrations, fabric.registrationsMade(DEVICE), "the pool did not grow");
        // over the largest block: registered for the task alone, and deregistered at its end
        c.taskStarted(new TaskBuffers(5, DataDirection.IN, null, 0, ByteBuffer.allocate(131072), 131072));
        assertEquals(registrations + 1, fabric.registrationsMade(DEVICE));
        c.close();
    }

    @Test
    void theEngineFailsARefusedCommandAloneAndGoesOn() throws Exception {
        ScsiTaskExecutor x = login(IserOptions.DEFAULTS.withPool(64 << 10, 1));
        target.holdCommands = true;
        CompletableFuture<ScsiResult> first = x.execute(ScsiTask.read(0, IserEndToEndTest.read10(0, 128), ByteBuffer.allocate(65536)))
                .toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> x.execute(ScsiTask.read(0, IserEndToEndTest.read10(0, 8),
                ByteBuffer.allocate(4096))).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IscsiException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("registered memory"), e.getCause().getMessage());
        target.releaseHeld();
        assertTrue(first.get(20, TimeUnit.SECONDS).isGood());
        byte[] data = new byte[4096];
        new Random(3).nextBytes(data);
        assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.write(0, IserEndToEndTest.write10(0, 8), ByteBuffer.wrap(data)))).isGood());
        ByteBuffer in = ByteBuffer.allocate(4096);
        assertTrue(IserEndToEndTest.await(x.execute(ScsiTask.read(0, IserEndToEndTest.read10(0, 8), in))).isGood());
        assertArrayEquals(data, in.array());
    }
}

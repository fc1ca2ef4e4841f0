package org.kiscsi.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.NodeKeys;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.testkit.loopback.LoopbackTransport;
import org.kiscsi.testkit.target.TestTarget;

/**
 * An engine over the in-memory loopback transport, logged in to the test target with no socket in
 * between: recovery, timeouts and task management run for real, in milliseconds rather than the
 * record defaults' minutes.
 */
final class LoopbackFixture implements AutoCloseable {
    static final String IQN = "iqn.2026-11.org.kiscsi.test:recovery";
    static final int BLOCKS = 2048;
    final LoopbackTransport loopback = new LoopbackTransport();
    final IscsiEngine engine;
    final TestTarget target;
    final Portal portal;

    LoopbackFixture() throws IOException {
        this(IscsiEngine.builder().initiatorName(EngineFixture.INITIATOR));
    }

    LoopbackFixture(IscsiEngine.Builder builder) throws IOException {
        engine = builder.transport(loopback).build();
        target = TestTarget.start(IQN, BLOCKS);
        target.own("DefaultTime2Wait", "0");
        portal = target.attach(loopback);
    }

    /**
     * A record with test-sized timeouts: 2 s login/logout, 5 s commands, no login retries, no
     * NOP-Outs, 10 s replacement timeout, Time2Wait 0.
     */
    NodeRecord record() {
        return NodeRecord.create(new NodeKey(IscsiName.of(IQN), portal, null), RecordValues.empty()
                .with(NodeKeys.TRANSPORT_NAME, LoopbackTransport.NAME)
                .with(NodeKeys.LOGIN_TIMEOUT, "2").with(NodeKeys.LOGOUT_TIMEOUT, "2")
                .with(NodeKeys.SCSI_CMD_TIMEOUT, "5").with(NodeKeys.INITIAL_LOGIN_RETRY_MAX, "0")
                .with(NodeKeys.NOOP_OUT_INTERVAL, "0").with(NodeKeys.REPLACEMENT_TIMEOUT, "10")
                .with(NodeKeys.DEFAULT_TIME2WAIT, "0"));
    }

    static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Polls until {@code condition} holds; false when {@code limit} passed first. */
    static boolean eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    static ByteBuffer pattern(int blocks, int seed) {
        ByteBuffer b = ByteBuffer.allocate(blocks * 512);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (seed * 31 + i * 7));
        }
        return b;
    }

    static CompletionStage<ScsiResult> write(ScsiTaskExecutor x, long lba, ByteBuffer data) {
        return x.execute(ScsiTask.write(0, Cdbs.write10(lba, data.capacity() / 512), data.duplicate()));
    }

    static CompletionStage<ScsiResult> read(ScsiTaskExecutor x, long lba, ByteBuffer into) {
        return x.execute(ScsiTask.read(0, Cdbs.read10(lba, into.capacity() / 512), into));
    }

    @Override
    public void close() throws IOException {
        engine.close();
        target.close();
    }
}

package org.kiscsi.engine;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.protocol.pdu.DataOut;
import org.kiscsi.spi.transport.ConnectRequest;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.spi.transport.LoginKey;
import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TaskBuffers;
import org.kiscsi.spi.transport.TaskEnd;
import org.kiscsi.spi.transport.TaskTransfer;
import org.kiscsi.spi.transport.TransportCapability;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.transport.tcp.TcpTransport;

/**
 * TCP with direct data placement done inside the transport, as iSER does with RDMA: Data-In
 * segments are written into the announced read buffer and never reach the engine, R2Ts are answered
 * with Data-Out from the announced write buffer by the transport itself. Declares no digests, adds
 * its own login keys, takes its time to switch to full feature phase, and may impose a limit on
 * unanswered PDUs. Records what the engine told it.
 */
final class PlacingTransport implements TransportProvider {
    static final String NAME = "placing";
    private final TcpTransport tcp = new TcpTransport();
    volatile List<LoginKey> loginKeys = List.of();
    volatile long switchDelayMillis = 100;
    volatile boolean neverSwitch;
    volatile int unexpectedLimit;

    final Map<Integer, TaskBuffers> live = new ConcurrentHashMap<>();
    final Map<Integer, int[]> moved = new ConcurrentHashMap<>();
    final List<TaskEnd> ends = new CopyOnWriteArrayList<>();
    final List<TaskTransfer> reported = new CopyOnWriteArrayList<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger dataOutSentByTransport = new AtomicInteger();
    final AtomicInteger sentBeforeSwitch = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    volatile LinkSettings fullFeature;
    volatile boolean switching;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<TransportCapability> capabilities() {
        return Set.of(TransportCapability.DIRECT_DATA_PLACEMENT);
    }

    @Override
    public CompletionStage<TransportConnection> connect(ConnectRequest request, TransportListener listener) {
        Placing p = new Placing(listener);
        return tcp.connect(request, p).thenApply(c -> {
            p.delegate = c;
            return p;
        });
    }

    void close() {
        tcp.close();
    }

    private final class Placing implements TransportConnection, TransportListener {
        private final TransportListener engine;
        volatile TransportConnection delegate;

        Placing(TransportListener engine) {
            this.engine = engine;
        }

        // ---- what the engine hears: everything but the data movement

        @Override
        public void received(PduBuffer pdu) {
            ByteBuffer h = pdu.header();
            int opcode = h.get(0) & 0x3F;
            if (opcode == 0x25) { // Data-In: placed, as an RDMA Write would
                int itt = h.getInt(16);
                int offset = h.getInt(40);
                TaskBuffers t = live.get(itt);
                ByteBuffer d = pdu.data();
                t.dataIn().put(t.dataIn().position() + offset, d, d.position(), d.remaining());
                moved.get(itt)[0] += d.remaining();
                pdu.release();
                return;
            }
            if (opcode == 0x31) { // R2T: answered from the write buffer, as an RDMA Read would
                int itt = h.getInt(16);
                int ttt = h.getInt(20);
                int statSn = h.getInt(24);
                long lun = h.getLong(8);
                int offset = h.getInt(40);
                int length = h.getInt(44);
                TaskBuffers t = live.get(itt);
                pdu.release();
                int sn = 0;
                for (int done = 0; done < length; ) {
                    int n = Math.min(8192, length - done);
                    ByteBuffer slice = t.dataOut().duplicate();
                    slice.position(t.dataOut().position() + offset + done).limit(t.dataOut().position() + offset + done + n);
                    PduBuffer b = delegate.allocate(0, slice.slice());
                    new DataOut(done + n == length, lun, itt, ttt, statSn, sn++, offset + done, slice.slice()).writeHeader(b.header());
                    delegate.post(b);
                    dataOutSentByTransport.incrementAndGet();
                    done += n;
                }
                moved.get(itt)[1] += length;
                return;
            }
            engine.received(pdu);
        }

        @Override
        public void closed(Throwable cause) {
            engine.closed(cause);
        }

        // ---- the SPI the engine drives

        @Override
        public List<LoginKey> loginKeys() {
            return loginKeys;
        }

        @Override
        public CompletionStage<Void> enterFullFeaturePhase(LinkSettings settings) {
            switching = true;
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (neverSwitch) {
                return done;
            }
            CompletableFuture.delayedExecutor(switchDelayMillis, TimeUnit.MILLISECONDS).execute(() -> {
                delegate.configure(settings);
                fullFeature = settings;
                switching = false;
                done.complete(null);
            });
            return done;
        }

        @Override
        public int maxOutstandingUnexpectedPdus() {
            return unexpectedLimit;
        }

        @Override
        public void taskStarted(TaskBuffers task) {
            live.put(task.itt(), task);
            moved.put(task.itt(), new int[2]);
            started.incrementAndGet();
            mostInFlight.accumulateAndGet(live.size(), Math::max);
        }

        @Override
        public TaskTransfer taskEnded(int itt, TaskEnd end) {
            live.remove(itt);
            int[] m = moved.remove(itt);
            ends.add(end);
            TaskTransfer t = new TaskTransfer(m[0], m[1]);
            reported.add(t);
            return t;
        }

        @Override
        public PduBuffer allocate(int ahsLength, int dataLength) {
            return delegate.allocate(ahsLength, dataLength);
        }

        @Override
        public PduBuffer allocate(int ahsLength, ByteBuffer data) {
            return delegate.allocate(ahsLength, data);
        }

        @Override
        public CompletionStage<Void> send(PduBuffer pdu) {
            count();
            return delegate.send(pdu);
        }

        @Override
        public void post(PduBuffer pdu) {
            count();
            delegate.post(pdu);
        }

        private void count() {
            if (switching) {
                sentBeforeSwitch.incrementAndGet();
            }
        }

        @Override
        public void configure(LinkSettings settings) {
            delegate.configure(settings);
        }

        @Override
        public void suspendReceive() {
            delegate.suspendReceive();
        }

        @Override
        public void resumeReceive() {
            delegate.resumeReceive();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public CompletionStage<Void> closeFuture() {
            return delegate.closeFuture();
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public String localAddress() {
            return delegate.localAddress();
        }

        @Override
        public String remoteAddress() {
            return delegate.remoteAddress();
        }

        @Override
        public long buffersOutstanding() {
            return delegate.buffersOutstanding();
        }
    }
}

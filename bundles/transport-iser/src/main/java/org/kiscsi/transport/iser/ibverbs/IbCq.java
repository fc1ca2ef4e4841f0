package org.kiscsi.transport.iser.ibverbs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.WorkCompletion;

/** An ibv_cq on the device's completion channel; the device's event thread runs {@code notify}. */
final class IbCq implements CompletionQueue {
    private static final int BATCH = 64;
    private static final WorkCompletion.Status[] STATUS = WorkCompletion.Status.values();
    /** The shim's opcode codes are the enum's order: SEND, RDMA_WRITE, RDMA_READ, RECV, BIND_MW, LOCAL_INV. */
    private static final WorkCompletion.Opcode[] OPCODE = WorkCompletion.Opcode.values();
    final long cq;
    private final Runnable notify;
    private final Map<Integer, IbMr> regions;
    private final Map<Integer, IbMw> windows;
    private final ByteBuffer out = ByteBuffer.allocateDirect(BATCH * 32).order(ByteOrder.nativeOrder());
    private boolean closed;

    IbCq(long cq, Runnable notify, Map<Integer, IbMr> regions, Map<Integer, IbMw> windows) {
        this.cq = cq;
        this.notify = notify;
        this.regions = regions;
        this.windows = windows;
    }

    void fired() {
        notify.run();
    }

    @Override
    public synchronized int poll(List<WorkCompletion> into, int max) {
        int total = 0;
        while (!closed && total < max) {
            int n = NativeRdma.pollCq(cq, out, Math.min(BATCH, max - total));
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                int at = i * 32;
                int status = out.getInt(at + 8);
                WorkCompletion wc = new WorkCompletion(out.getLong(at), STATUS[Math.min(status, STATUS.length - 1)],
                        OPCODE[out.getInt(at + 12)], out.getInt(at + 16), out.getInt(at + 20), out.getInt(at + 24));
                if (wc.invalidatedRkey() != 0) {
                    IbMr mr = regions.get(wc.invalidatedRkey());
                    if (mr != null) {
                        mr.invalidated();
                    }
                    IbMw mw = windows.get(wc.invalidatedRkey());
                    if (mw != null) {
                        mw.invalidated(wc.invalidatedRkey());
                    }
                }
                into.add(wc);
            }
            total += n;
            if (n < Math.min(BATCH, max - total + n)) {
                break;
            }
        }
        return total;
    }

    @Override
    public synchronized void requestNotify() {
        if (!closed) {
            NativeRdma.reqNotify(cq);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                NativeRdma.destroyCq(cq);
            } catch (NativeError e) {
                // a queue pair still uses it: released with the device
            }
        }
    }
}

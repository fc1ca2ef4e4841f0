package org.kiscsi.transport.iser.ibverbs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.kiscsi.transport.iser.verbs.ConnectParams;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * One active connect through the CM: resolve the address, resolve the route, create the RC queue
 * pair, connect with the REQ's private data, established. Any error event, or the timeout, fails it
 * naming the address and the step, and frees the queue pair and the id.
 */
final class IbConnect implements CmHandler {
    private final IbDevice device;
    private final long id;
    private final ConnectParams p;
    private final CompletableFuture<QueuePair> done;
    private final int stepMs;
    private IbQp qp;
    private int qpNumber;

    IbConnect(IbDevice device, long id, ConnectParams p, CompletableFuture<QueuePair> done) {
        this.device = device;
        this.id = id;
        this.p = p;
        this.done = done;
        this.stepMs = (int) Math.max(100, Math.min(Integer.MAX_VALUE, p.timeout().toMillis()));
    }

    void start() throws NativeError {
        done.orTimeout(p.timeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((q, e) -> {
            if (e != null) {
                release();
            }
        });
        NativeRdma.resolveAddr(id, p.remote().getAddress().getAddress(), p.remote().getPort(), stepMs);
    }

    @Override
    public synchronized void event(int type, int status, long cmId, byte[] privateData) {
        if (done.isDone()) {
            return;
        }
        try {
            switch (type) {
                case ADDR_RESOLVED -> NativeRdma.resolveRoute(id, stepMs);
                case ROUTE_RESOLVED -> {
                    QpAttributes a = p.attributes();
                    qpNumber = NativeRdma.createQp(id, ((IbPd) p.pd()).pd, ((IbCq) p.cq()).cq, a.maxSendWr(), a.maxRecvWr());
                    NativeRdma.connect(id, a.responderResources(), a.initiatorDepth(), a.retryCount(), a.rnrRetryCount(),
                            p.privateData());
                }
                case ESTABLISHED -> {
                    qp = new IbQp(device, id, qpNumber, p.events(), null);
                    qp.established(privateData);
                    device.handle(id, qp);
                    done.complete(qp);
                }
                default -> fail(CmHandler.name(type) + (status != 0 ? " (status " + status + ")" : ""), null);
            }
        } catch (NativeError e) {
            fail(e.getMessage(), e);
        }
    }

    private void fail(String why, Throwable cause) {
        done.completeExceptionally(new VerbsException(VerbsException.Reason.CONNECT, "connecting to " + p.remote() + " on "
                + device.name() + ": " + why, cause));
    }

    private synchronized void release() {
        if (qp == null) {
            device.forget(id);
            NativeRdma.destroyQp(id);
            NativeRdma.destroyId(id);
        }
    }
}

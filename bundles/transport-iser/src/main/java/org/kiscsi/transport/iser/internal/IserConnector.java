package org.kiscsi.transport.iser.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.spi.transport.TransportConnection;
import org.kiscsi.spi.transport.TransportListener;
import org.kiscsi.transport.iser.IserOptions;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.ConnectParams;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.VerbsException;

/** Sets up one iSER connection: protection domain, completion queue, receive ring, RC queue pair via the CM. */
public final class IserConnector {
    /** RDMA Reads the target may have outstanding against our buffers (libiscsi's 4). */
    static final int RESPONDER_RESOURCES = 4;
    /** Send queue entries for memory window binds and local invalidations, beyond the Sends' depth. */
    static final int WINDOW_WRS = 256;

    private IserConnector() {
    }

    /**
     * Ends a connection because its transport is closing: the listener hears it as a lost connection
     * (so a session recovers), and its memory is released on the transport's executor, which must
     * still run.
     */
    public static void transportClosing(TransportConnection c, String why) {
        ((IserConnection) c).disconnected(why);
    }

    public static CompletionStage<TransportConnection> connect(RdmaDevice device, InetSocketAddress remote, Duration timeout,
            IserOptions options, Executor executor, TransportListener listener, String where) {
        ProtectionDomain pd = null;
        try {
            pd = device.allocatePd();
            IserConnection[] self = new IserConnection[1];
            int rxSlots = IserConnection.LOGIN_RX + options.maxOutstandingUnexpectedPdus() + IserConnection.MISC_RX;
            CompletionQueue cq = device.createCq(options.sendQueueDepth() + WINDOW_WRS + rxSlots + 16, () -> self[0].notified());
            IserConnection c = new IserConnection(options, pd, cq, executor, listener, where);
            self[0] = c;
            // binds and local invalidations share the send queue with the Sends
            QpAttributes attrs = new QpAttributes(options.sendQueueDepth() + WINDOW_WRS, rxSlots, RESPONDER_RESOURCES, 0, 7, 6);
            ProtectionDomain owned = pd;
            return device.connect(new ConnectParams(remote, pd, cq, attrs, c.cmPrivateData(), timeout, c::disconnected))
                    .toCompletableFuture()
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((qp, e) -> {
                        if (e != null) {
                            owned.close();
                            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                            IscsiError kind = cause instanceof TimeoutException ? IscsiError.TRANS_TIMEOUT : IscsiError.TRANS;
                            throw new CompletionException(new IscsiException(kind, where + ": "
                                    + (cause instanceof TimeoutException ? "not connected within " + timeout.toMillis() + " ms"
                                            : cause.getMessage()), cause));
                        }
                        try {
                            c.established(qp);
                        } catch (VerbsException x) {
                            qp.disconnect();
                            throw new CompletionException(new IscsiException(IscsiError.TRANS, where
                                    + ": posting the login receives: " + x.getMessage(), x));
                        }
                        return (TransportConnection) c;
                    });
        } catch (VerbsException e) {
            if (pd != null) {
                pd.close();
            }
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS, where + ": " + e.getMessage(), e));
        }
    }
}

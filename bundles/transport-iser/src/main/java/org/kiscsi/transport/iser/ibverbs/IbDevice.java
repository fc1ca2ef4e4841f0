package org.kiscsi.transport.iser.ibverbs;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.ConnectParams;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.RdmaListener;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * An open RDMA device with its CM event channel and completion channel. One thread per device
 * waits on both (at most {@link #WAIT_MS} at a time, so a close is seen) and hands CM events to the
 * cm_id's handler and completion events to the CQ's notify.
 */
final class IbDevice implements RdmaDevice {
    static final int WAIT_MS = 200;
    private final long dev;
    private final String name;
    private final Thread thread;
    private final Map<Long, IbCq> cqs = new ConcurrentHashMap<>();
    private final Map<Long, CmHandler> ids = new ConcurrentHashMap<>();
    final Map<Integer, IbMr> regions = new ConcurrentHashMap<>();
    /** Bound memory windows by rkey, so a Send with Invalidate naming one marks it invalid. */
    final Map<Integer, IbMw> windows = new ConcurrentHashMap<>();
    private volatile boolean closed;

    IbDevice(long dev) {
        this.dev = dev;
        this.name = NativeRdma.deviceName(dev);
        this.thread = new Thread(this::run, "kiscsi-rdma-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public String name() {
        return name;
    }

    private void open() throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "RDMA device " + name + " is closed");
        }
    }

    @Override
    public ProtectionDomain allocatePd() throws VerbsException {
        open();
        try {
            return new IbPd(NativeRdma.allocPd(dev), regions, windows, name);
        } catch (NativeError e) {
            throw new VerbsException(VerbsException.Reason.RESOURCE, name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionQueue createCq(int entries, Runnable notify) throws VerbsException {
        open();
        try {
            long cq = NativeRdma.createCq(dev, entries);
            IbCq c = new IbCq(cq, notify, regions, windows);
            cqs.put(cq, c);
            return c;
        } catch (NativeError e) {
            throw new VerbsException(VerbsException.Reason.RESOURCE, name + ": a completion queue of " + entries + " entries: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<QueuePair> connect(ConnectParams p) {
        CompletableFuture<QueuePair> done = new CompletableFuture<>();
        try {
            open();
            long id = NativeRdma.createId(dev);
            IbConnect c = new IbConnect(this, id, p, done);
            ids.put(id, c);
            c.start();
        } catch (VerbsException e) {
            done.completeExceptionally(e);
        } catch (NativeError e) {
            done.completeExceptionally(new VerbsException(VerbsException.Reason.CONNECT, "connecting to " + p.remote() + " on "
                    + name + ": " + e.getMessage(), e));
        }
        return done;
    }

    @Override
    public RdmaListener listen(InetSocketAddress at, AcceptHandler handler) throws VerbsException {
        open();
        try {
            long id = NativeRdma.createId(dev);
            IbListener l = new IbListener(this, id, at, handler);
            ids.put(id, l);
            try {
                NativeRdma.listen(id, at.getAddress().getAddress(), at.getPort(), 64);
            } catch (NativeError e) {
                forget(id);
                NativeRdma.destroyId(id);
                throw e;
            }
            return l;
        } catch (NativeError e) {
            throw new VerbsException(VerbsException.Reason.INVALID, "listening at " + at + " on " + name + ": " + e.getMessage(), e);
        }
    }

    void handle(long id, CmHandler h) {
        ids.put(id, h);
    }

    void forget(long id) {
        ids.remove(id);
    }

    private void run() {
        long[] ev = new long[4];
        byte[] priv = new byte[256];
        while (!closed) {
            int ready = NativeRdma.waitEvents(dev, WAIT_MS);
            if (ready < 0) {
                break;
            }
            if ((ready & 2) != 0) {
                for (long cq; (cq = NativeRdma.nextCqEvent(dev)) != 0;) {
                    IbCq c = cqs.get(cq);
                    if (c != null) {
                        c.fired();
                    }
                }
            }
            if ((ready & 1) != 0) {
                for (int len; (len = NativeRdma.nextCmEvent(dev, ev, priv)) >= 0;) {
                    int type = (int) ev[0];
                    CmHandler h = ids.get(type == CmHandler.CONNECT_REQUEST ? ev[2] : ev[1]);
                    if (h != null) {
                        h.event(type, (int) ev[3], ev[1], Arrays.copyOf(priv, len));
                    } else if (type == CmHandler.CONNECT_REQUEST) {
                        NativeRdma.reject(ev[1]);
                        NativeRdma.destroyId(ev[1]);
                    }
                }
            }
        }
        NativeRdma.close(dev);
    }

    /** A socket address from the shim's form: port (2 bytes, big-endian), then the address. */
    static InetSocketAddress socketAddress(byte[] b) {
        try {
            int port = (b[0] & 0xFF) << 8 | b[1] & 0xFF;
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, 2, b.length)), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address of " + (b.length - 2) + " bytes", e);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}

package org.kiscsi.transport.iser.soft;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.ConnectParams;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.RdmaListener;
import org.kiscsi.transport.iser.verbs.VerbsException;

/** A software RDMA device with one IP address on a {@link SoftFabric}. */
final class SoftDevice implements RdmaDevice {
    private final SoftFabric fabric;
    private final String name;
    private final InetAddress address;
    private volatile boolean closed;
    /** The queue pairs connected through this device, disconnected when it closes. */
    private final Set<SoftQp> queuePairs = ConcurrentHashMap.newKeySet();

    SoftDevice(SoftFabric fabric, String name, InetAddress address) {
        this.fabric = fabric;
        this.name = name;
        this.address = address;
    }

    @Override
    public String name() {
        return name;
    }

    private void open() throws VerbsException {
        if (closed) {
            throw new VerbsException(VerbsException.Reason.INVALID, "device " + name + " is closed");
        }
    }

    @Override
    public ProtectionDomain allocatePd() throws VerbsException {
        open();
        return new SoftPd(fabric, name);
    }

    @Override
    public CompletionQueue createCq(int entries, Runnable notify) throws VerbsException {
        open();
        if (entries < 1) {
            throw new VerbsException(VerbsException.Reason.INVALID, "a completion queue of " + entries + " entries");
        }
        return new SoftCq(entries, notify);
    }

    @Override
    public CompletionStage<QueuePair> connect(ConnectParams p) {
        CompletableFuture<QueuePair> done = new CompletableFuture<>();
        fabric.execute(() -> {
            try {
                open();
                done.complete(establish(p));
            } catch (VerbsException e) {
                done.completeExceptionally(e);
            } catch (RuntimeException e) {
                done.completeExceptionally(new VerbsException(VerbsException.Reason.CONNECT, "connecting to " + p.remote()
                        + " failed: " + e, e));
            }
        });
        return done;
    }

    /** CM REQ, REP, RTU at once, on the fabric's thread. */
    private QueuePair establish(ConnectParams p) throws VerbsException {
        SoftListener l = fabric.listeners.get(p.remote());
        if (l == null) {
            throw new VerbsException(VerbsException.Reason.CONNECT, "no RDMA listener at " + p.remote()
                    + " (the CM REQ was rejected: no service for it)");
        }
        InetSocketAddress local = new InetSocketAddress(address, fabric.nextPort());
        Acceptance a = l.handler().accept(local, p.privateData());
        if (a == null) {
            throw new VerbsException(VerbsException.Reason.CONNECT, "the listener at " + p.remote() + " rejected the connection");
        }
        SoftQp client = new SoftQp(fabric, fabric.nextQpNumber(), local, p.remote(), (SoftPd) p.pd(), (SoftCq) p.cq(),
                p.attributes(), a.privateData(), p.events());
        SoftQp server = new SoftQp(fabric, fabric.nextQpNumber(), p.remote(), local, (SoftPd) a.pd(), (SoftCq) a.cq(),
                a.attributes(), p.privateData(), a.events());
        client.peer = server;
        server.peer = client;
        queuePairs.add(client);
        l.device().queuePairs.add(server);
        fabric.taps.forEach(t -> t.connected(local, client.qpNumber(), p.remote(), server.qpNumber(), p.privateData(),
                a.privateData()));
        l.handler().established(server);
        return client;
    }

    @Override
    public RdmaListener listen(InetSocketAddress at, AcceptHandler handler) throws VerbsException {
        open();
        SoftListener l = new SoftListener(fabric, this, at, handler);
        if (fabric.listeners.putIfAbsent(at, l) != null) {
            throw new VerbsException(VerbsException.Reason.INVALID, "something listens at " + at + " already");
        }
        return l;
    }

    /**
     * Closing the device takes its queue pairs down, as a real device's teardown does: each peer hears
     * of the disconnect (a connection left open would stay connected at the far end for ever).
     */
    @Override
    public void close() {
        closed = true;
        queuePairs.forEach(SoftQp::disconnect);
        queuePairs.clear();
    }
}

package org.kiscsi.transport.iser.testtarget;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.testkit.contract.EchoPeer;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.Access;
import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.MemoryRegion;
import org.kiscsi.transport.iser.verbs.ProtectionDomain;
import org.kiscsi.transport.iser.verbs.QpAttributes;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.RdmaListener;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.VerbsException;
import org.kiscsi.transport.iser.verbs.WorkCompletion;

/**
 * The transport contract's far end over the software verbs provider: every Send it receives (iSER
 * header and PDU) goes back in a Send with a plain iSER header, except a Logout Request, which
 * disconnects. Its receives are posted ahead and again after each PDU, so the initiator's Sends never
 * wait on it. Its own Sends retry a receiver that is not ready for ever (RNR retry 7): the contract's
 * bursts come back as fast as the initiator posts receives, which it does for two PDUs at a time
 * during login. Echoes beyond its send queue wait in its memory, in order, as a TCP peer's socket
 * buffer holds them; a target bounded by the command window would not need either.
 */
public final class SoftEchoPeer implements EchoPeer {
    private static final int SLOTS = 128;
    /** iSER header, BHS, AHS of up to 1 KiB, a 64 KiB data segment with padding. */
    private static final int SLOT = 28 + 48 + 1024 + 65540;
    private final RdmaDevice device;
    private final RdmaListener listener;
    private final InetSocketAddress at;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Echo> echoes = new CopyOnWriteArrayList<>();

    public SoftEchoPeer(SoftFabric fabric, InetSocketAddress at) throws VerbsException {
        this.at = at;
        this.device = fabric.verbs("soft-echo", at.getAddress()).open();
        this.listener = device.listen(at, new AcceptHandler() {
            @Override
            public Acceptance accept(InetSocketAddress from, byte[] privateData) {
                try {
                    Echo e = new Echo();
                    echoes.add(e);
                    return new Acceptance(e.pd, e.cq, new QpAttributes(SLOTS, SLOTS, 4, 4, 7, 7), new byte[] {(byte) 0x80, 0, 0, 0},
                            why -> { });
                } catch (VerbsException x) {
                    return null;
                }
            }

            @Override
            public void established(QueuePair qp) {
                accepted.incrementAndGet();
                echoes.stream().filter(e -> e.qp == null).findFirst().ifPresent(e -> e.start(qp));
            }
        });
    }

    /** One accepted connection: its receive slab, its sends. */
    private final class Echo {
        final ProtectionDomain pd;
        final CompletionQueue cq;
        final MemoryRegion rx;
        volatile QueuePair qp;
        private final java.util.Map<Long, MemoryRegion> sending = new java.util.concurrent.ConcurrentHashMap<>();
        /** Echoes waiting for room in the send queue, in order. */
        private final java.util.ArrayDeque<MemoryRegion> backlog = new java.util.ArrayDeque<>();
        private long sends;

        Echo() throws VerbsException {
            pd = device.allocatePd();
            cq = device.createCq(SLOTS * 3, this::drain);
            rx = pd.register(ByteBuffer.allocateDirect(SLOTS * SLOT), EnumSet.of(Access.LOCAL_WRITE));
        }

        void start(QueuePair q) {
            qp = q;
            try {
                for (int i = 0; i < SLOTS; i++) {
                    q.postRecv(i, rx.sge(i * SLOT, SLOT));
                }
            } catch (VerbsException e) {
                q.disconnect();
            }
            cq.requestNotify();
            drain();
        }

        /** On the fabric's thread: echo what arrived, repost its slot. */
        private synchronized void drain() {
            QueuePair q = qp;
            if (q == null) {
                return;
            }
            List<WorkCompletion> done = new java.util.ArrayList<>();
            while (true) {
                done.clear();
                if (cq.poll(done, 64) == 0) {
                    cq.requestNotify();
                    if (cq.poll(done, 64) == 0) {
                        return;
                    }
                }
                for (WorkCompletion wc : done) {
                    if (!wc.ok()) {
                        q.disconnect();
                        return;
                    }
                    if (wc.opcode() == WorkCompletion.Opcode.RECV) {
                        echo(q, (int) wc.wrId(), wc.byteLength());
                    } else {
                        MemoryRegion sent = sending.remove(wc.wrId());
                        if (sent != null) {
                            sent.deregister();
                        }
                        if (!sendBacklog(q)) {
                            return;
                        }
                    }
                }
            }
        }

        private void echo(QueuePair q, int slot, int length) {
            ByteBuffer in = rx.buffer().slice(slot * SLOT, length);
            try {
                if (length >= 28 + 48 && (in.get(28) & 0x3F) == 0x06) {
                    q.disconnect();
                    return;
                }
                if (length >= 28 + 48) {
                    ByteBuffer back = ByteBuffer.allocateDirect(length);
                    back.put(in.duplicate()).put(0, (byte) 0x10);
                    for (int i = 1; i < 28; i++) {
                        back.put(i, (byte) 0);
                    }
                    backlog.add(pd.register(back.clear(), EnumSet.noneOf(Access.class)));
                }
                q.postRecv(slot, rx.sge(slot * SLOT, SLOT));
            } catch (VerbsException e) {
                q.disconnect();
                return;
            }
            sendBacklog(q);
        }

        /** Posts waiting echoes while the send queue has room; false when the connection failed. */
        private boolean sendBacklog(QueuePair q) {
            try {
                while (sending.size() < SLOTS && !backlog.isEmpty()) {
                    MemoryRegion mr = backlog.poll();
                    long id = 1L << 40 | sends++;
                    sending.put(id, mr);
                    q.postSend(SendRequest.send(id, mr.sge(0, mr.length())));
                }
                return true;
            } catch (VerbsException e) {
                q.disconnect();
                return false;
            }
        }
    }

    @Override
    public Portal portal() {
        return Portal.of(at.getAddress().getHostAddress(), at.getPort());
    }

    @Override
    public void configure(LinkSettings settings) {
        if (settings.headerDigest() || settings.dataDigest()) {
            throw new IllegalArgumentException("iSER carries no digests");
        }
    }

    @Override
    public int connectionsAccepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        echoes.forEach(e -> {
            if (e.qp != null) {
                e.qp.disconnect();
            }
        });
        listener.close();
        device.close();
    }
}

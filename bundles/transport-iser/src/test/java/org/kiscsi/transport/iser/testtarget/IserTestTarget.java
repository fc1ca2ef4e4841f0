package org.kiscsi.transport.iser.testtarget;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Portal;
import org.kiscsi.transport.iser.internal.IserHeader;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.verbs.AcceptHandler;
import org.kiscsi.transport.iser.verbs.Acceptance;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.RdmaDevice;
import org.kiscsi.transport.iser.verbs.RdmaListener;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * An iSER target on the software provider, as tgt's iser.c behaves: login in Sends, READ data by RDMA
 * Write into the Read STag, WRITE data by RDMA Read from the Write STag, status in a SCSI Response
 * Send (with Invalidate of the advertised STag when asked), one RAM LUN 0. Records what it saw.
 */
public final class IserTestTarget implements AutoCloseable {
    public static final int BLOCK = 512;
    public final String iqn;
    public final byte[] lun;
    public final InetSocketAddress address;
    public final RdmaDevice device;
    private final RdmaListener listener;
    public final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "iser-test-target"));
    public final List<IserTargetConnection> connections = new CopyOnWriteArrayList<>();
    public final List<IserHeader> commandHeaders = new CopyOnWriteArrayList<>();
    public final Map<String, String> declaredByInitiator = new ConcurrentHashMap<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final AtomicInteger rdmaWrites = new AtomicInteger();
    public final AtomicInteger rdmaReads = new AtomicInteger();
    /** Bytes fetched by RDMA Read (the solicited parts of writes). */
    public final java.util.concurrent.atomic.AtomicLong rdmaReadBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Bytes that came as immediate data, and unsolicited Data-Out PDUs received. */
    public final java.util.concurrent.atomic.AtomicLong immediateBytes = new java.util.concurrent.atomic.AtomicLong();
    public final AtomicInteger dataOutPdus = new AtomicInteger();
    /** The target's own ImmediateData, InitialR2T and FirstBurstLength (the login's outcome is AND, OR, min). */
    public volatile boolean ownImmediateData = true;
    public volatile boolean ownInitialR2T = false;
    public volatile int ownFirstBurstLength = 65536;
    public final AtomicInteger hellos = new AtomicInteger();
    public final AtomicInteger logins = new AtomicInteger();
    /** How a late RDMA Write ({@link IserTargetConnection#writeLate}) completed. */
    public final java.util.concurrent.CompletableFuture<String> lateWriteStatus = new java.util.concurrent.CompletableFuture<>();

    // knobs
    public volatile boolean rdmaExtensions = true;
    public volatile long ownMaxUnexpected = 0;
    public volatile int ownInitiatorRecv = 8192;
    public volatile int ownTargetRecv = 8192;
    public volatile boolean sendWithInvalidate = true;
    public volatile boolean rejectHello;
    /** Receive buffers the target posts per connection. */
    public volatile int receiveBuffers = 64;
    /** When set, SCSI commands are held (not answered) until released: lets credits run out. */
    public volatile boolean holdCommands;
    /**
     * When set, SCSI commands start but their responses are held until released: a write's data is
     * RDMA-read (and kept from the LUN until the release), a read's first half RDMA-written.
     */
    public volatile boolean holdResponses;
    /** Data transfers of more than 64 KiB that fail in the middle: the connection drops after the first 64 KiB. */
    public final AtomicInteger dropMidTransfer = new AtomicInteger();
    /** A task management request the target answered: what it ended, the response, and the iSER header it came behind. */
    public record TaskManagementSeen(int function, long lun, int referencedTaskTag, int heldEnded, int response, IserHeader header) {
    }

    public final List<TaskManagementSeen> taskManagement = new CopyOnWriteArrayList<>();
    /** NOP-Ins (ITT 0xffffffff, no answer wanted) sent right behind the final Login Response. */
    public volatile int nopInsAfterFinalLogin;
    /** The RNR retry count of the target's queue pairs: 0 makes a Send that finds no receive posted fail at once. */
    public volatile int rnrRetry = 6;
    /** How the NOP-Ins behind the final Login Response went: SUCCESS once all arrived, or the first failure's status. */
    public final java.util.concurrent.CompletableFuture<String> afterFinalLogin = new java.util.concurrent.CompletableFuture<>();
    private final AtomicInteger afterFinalLoginArrived = new AtomicInteger();

    public IserTestTarget(SoftFabric fabric, InetSocketAddress address, String iqn, int blocks) throws VerbsException {
        this.iqn = iqn;
        this.address = address;
        this.lun = new byte[blocks * BLOCK];
        this.device = fabric.verbs("soft-target", address.getAddress()).open();
        this.listener = device.listen(address, new AcceptHandler() {
            @Override
            public Acceptance accept(InetSocketAddress from, byte[] privateData) {
                try {
                    IserTargetConnection c = new IserTargetConnection(IserTestTarget.this, privateData);
                    connections.add(c);
                    return c.acceptance();
                } catch (VerbsException e) {
                    errors.add(e);
                    return null;
                }
            }

            @Override
            public void established(QueuePair qp) {
                connections.stream().filter(c -> c.qp == null).findFirst().ifPresent(c -> c.established(qp));
            }
        });
    }

    public Portal portal() {
        return Portal.of(address.getAddress().getHostAddress(), address.getPort());
    }

    /** One of the NOP-Ins behind the final Login Response completed. */
    void afterFinalLoginSent(org.kiscsi.transport.iser.verbs.WorkCompletion.Status status) {
        if (status != org.kiscsi.transport.iser.verbs.WorkCompletion.Status.SUCCESS) {
            afterFinalLogin.complete(status.toString());
        } else if (afterFinalLoginArrived.incrementAndGet() == nopInsAfterFinalLogin) {
            afterFinalLogin.complete(status.toString());
        }
    }

    /** Whether a data transfer should fail in the middle now (one of {@link #dropMidTransfer} used). */
    boolean takeDropMidTransfer() {
        return dropMidTransfer.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    /** Commands held now, on every connection. */
    public int held() {
        return connections.stream().mapToInt(IserTargetConnection::held).sum();
    }

    /** Answers the commands held so far, and stops holding. */
    public void releaseHeld() {
        holdCommands = false;
        holdResponses = false;
        connections.forEach(IserTargetConnection::releaseHeld);
    }

    /** The initiators of the connections that logged in and are still connected (one per I_T nexus here). */
    public List<String> liveInitiators() {
        return connections.stream().filter(c -> c.qp != null && c.qp.connected() && c.initiatorName != null)
                .map(c -> c.initiatorName).toList();
    }

    /** Drops every connection, as a failing link would. */
    public void dropConnections() {
        connections.forEach(c -> c.qp.disconnect());
    }

    @Override
    public void close() {
        listener.close();
        thread.shutdownNow();
        device.close();
    }
}

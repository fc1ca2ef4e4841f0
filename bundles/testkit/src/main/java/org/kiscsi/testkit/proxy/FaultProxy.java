package org.kiscsi.testkit.proxy;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Isid;
import org.kiscsi.api.Portal;
import org.kiscsi.protocol.Opcode;

/**
 * A TCP proxy on loopback between an initiator and an iSCSI target that follows the PDU framing in
 * both directions and injects faults on request: cutting every connection (now, or at a chosen
 * PDU), stalling all traffic, flipping a bit of a data segment behind its digest, refusing new
 * connections. It records every Login Request and every PDU it sees.
 * <p>
 * Each accepted connection gets its own connection to the upstream target and two daemon threads,
 * one per direction. A PDU is forwarded as soon as all its bytes are in; digests are followed as
 * the target's Login Responses negotiate them. {@link #close()} and {@link #cutAll()} close sockets
 * and never wait without bound.
 */
public final class FaultProxy implements AutoCloseable {
    /** Which way a PDU travels. */
    public enum Direction {
        /** From the initiator to the target: requests. */
        TO_TARGET,
        /** From the target to the initiator: responses. */
        TO_INITIATOR
    }

    /** PDUs recorded at most; later ones are forwarded but not recorded. */
    public static final int MAX_RECORDED_PDUS = 1_000_000;

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;

    private final Portal upstream;
    private final InetSocketAddress upstreamAddress;
    private final ServerSocket server;
    private final String threadPrefix;
    private final Thread acceptor;
    private final StallGate gate = new StallGate();
    private final List<ProxiedConnection> live = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<LoginSeen> logins = new CopyOnWriteArrayList<>();
    private final List<PduSeen> pdus = new ArrayList<>();
    private volatile boolean refusing;
    private volatile boolean recording = true;
    private volatile boolean closed;
    private volatile PduTrigger cut;
    private volatile PduTrigger flip;
    private volatile PduTrigger drop;

    private FaultProxy(Portal upstream, InetSocketAddress upstreamAddress, ServerSocket server) {
        this.upstream = upstream;
        this.upstreamAddress = upstreamAddress;
        this.server = server;
        this.threadPrefix = "fault-proxy-" + server.getLocalPort();
        this.acceptor = new Thread(this::acceptLoop, threadPrefix + "-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Starts a proxy to {@code upstream}, listening on a free port of the loopback address of the
     * same family (127.0.0.1 for an IPv4 upstream, ::1 for IPv6).
     */
    public static FaultProxy start(Portal upstream) throws IOException {
        InetSocketAddress to = upstream.toSocketAddress();
        String loopback = to.getAddress() instanceof Inet6Address ? "::1" : "127.0.0.1";
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(loopback), 0), 16);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        FaultProxy p = new FaultProxy(upstream, to, s);
        p.acceptor.start();
        return p;
    }

    /** Where initiators connect: the proxy's address and port with the upstream portal's TPGT. */
    public Portal portal() {
        String address = server.getInetAddress() instanceof Inet6Address ? "::1" : "127.0.0.1";
        return Portal.of(address, server.getLocalPort(), upstream.tpgt());
    }

    /** Connections accepted so far, those closed at once while refusing included. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /**
     * Resets every current connection pair at once, initiator and target side (SO_LINGER 0, so
     * the peers see a reset, not an orderly end). The proxy keeps listening.
     */
    public void cutAll() {
        for (ProxiedConnection c : live) {
            c.abort();
        }
        gate.wake();
    }

    /**
     * Arms a cut: when the {@code nth} PDU (from 1, counted from now) with {@code op} goes in
     * direction {@code d}, every connection is cut instead of forwarding it. Replaces an earlier
     * cut not yet done.
     *
     * @throws IllegalArgumentException when {@code nth} is below 1 or {@code op} never goes that way
     */
    public void cutOnNext(Direction d, Opcode op, int nth) {
        cut = new PduTrigger(d, op, nth, false);
    }

    /**
     * Stops forwarding in both directions. Sockets stay open; what has arrived stays in the proxy
     * or unread in the socket buffers until {@link #resume()}.
     */
    public void stall() {
        gate.stall();
    }

    /** Forwards again, what was held first, in order. */
    public void resume() {
        gate.resume();
    }

    /**
     * Arms a corruption: the lowest bit of the first data byte of the next PDU with {@code op} and
     * a non-empty data segment going in direction {@code d} is flipped. Its data digest, when
     * negotiated, is left as it was, so the receiver's digest check fails. Replaces an earlier
     * flip not yet done.
     *
     * @throws IllegalArgumentException when {@code op} never goes that way
     */
    public void flipBitInNextDataSegment(Direction d, Opcode op) {
        flip = new PduTrigger(d, op, 1, true);
    }

    /**
     * Arms a loss: the next PDU with {@code op} going in direction {@code d} is not forwarded, and
     * the connection stays up (a reply lost without a trace, as no real network loses one over
     * TCP: what only a broken target or middlebox does). Replaces an earlier loss not yet done.
     *
     * @throws IllegalArgumentException when {@code op} never goes that way
     */
    public void dropNext(Direction d, Opcode op) {
        drop = new PduTrigger(d, op, 1, false);
    }

    /** While {@code refuse} is true, new connections are accepted and reset at once, as by a dead target. */
    public void refuseConnections(boolean refuse) {
        this.refusing = refuse;
    }

    /**
     * Whether PDUs are recorded for {@link #pdus()} (they are from the start). A long run (a soak)
     * turns it off, so that the proxy's memory stays flat; logins are recorded either way.
     */
    public void recordPdus(boolean record) {
        this.recording = record;
    }

    /** Every Login Request seen from initiators, in the order seen. */
    public List<LoginSeen> logins() {
        return List.copyOf(logins);
    }

    /** Every PDU seen, both directions, in the order seen; at most {@value #MAX_RECORDED_PDUS}. */
    public List<PduSeen> pdus() {
        synchronized (pdus) {
            return List.copyOf(pdus);
        }
    }

    /**
     * Whether the faults armed with {@link #cutOnNext}, {@link #flipBitInNextDataSegment} and
     * {@link #dropNext} have all happened; false when none was armed.
     */
    public boolean faultDone() {
        PduTrigger c = cut;
        PduTrigger f = flip;
        PduTrigger l = drop;
        return (c != null || f != null || l != null) && (c == null || c.fired()) && (f == null || f.fired())
                && (l == null || l.fired());
    }

    /** Stops listening, resets every connection and waits (at most a few seconds) for the threads. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        try {
            acceptor.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            for (ProxiedConnection c : live) {
                c.join(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    StallGate gate() {
        return gate;
    }

    /**
     * Records a PDU about to be forwarded and applies the armed faults to it: whether it goes on,
     * is swallowed, or the connections were cut at it.
     */
    Verdict pass(ProxiedConnection c, Direction d, WireFrame f) {
        long now = System.nanoTime();
        record(c, d, f, now);
        PduTrigger cutTrigger = cut;
        if (cutTrigger != null && cutTrigger.fires(d, f)) {
            cutAll();
            return Verdict.CUT;
        }
        PduTrigger dropTrigger = drop;
        if (dropTrigger != null && dropTrigger.fires(d, f)) {
            return Verdict.DROP;
        }
        PduTrigger flipTrigger = flip;
        if (flipTrigger != null && flipTrigger.fires(d, f)) {
            f.bytes()[f.dataOffset()] ^= 1;
        }
        return Verdict.FORWARD;
    }

    /** What becomes of a PDU the proxy read. */
    enum Verdict {
        FORWARD,
        /** Swallowed; the connection goes on. */
        DROP,
        /** The connections were cut at it. */
        CUT
    }

    private void record(ProxiedConnection c, Direction d, WireFrame f, long now) {
        Opcode op = f.opcode();
        boolean fromInitiator = d == Direction.TO_TARGET;
        synchronized (pdus) {
            if (recording && pdus.size() < MAX_RECORDED_PDUS) {
                pdus.add(new PduSeen(c.index(), d, op, f.itt(), fromInitiator ? f.int32(24) : 0, f.dataLength(), now));
            }
        }
        if (fromInitiator && op == Opcode.LOGIN_REQUEST) {
            logins.add(new LoginSeen(c.index(), Isid.of(f.isid()), f.u16(14), f.u16(20), now));
        }
    }

    void ended(ProxiedConnection c) {
        live.remove(c);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket initiator;
            try {
                initiator = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            int index = accepted.getAndIncrement();
            if (refusing) {
                ProxiedConnection.abort(initiator);
                continue;
            }
            connect(initiator, index);
        }
    }

    private void connect(Socket initiator, int index) {
        Socket target = new Socket();
        try {
            initiator.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
            target.connect(upstreamAddress, CONNECT_TIMEOUT_MILLIS);
            ProxiedConnection c = new ProxiedConnection(this, index, initiator, target, threadPrefix);
            live.add(c);
            c.start();
            if (closed) {
                c.abort(); // close() ran while this one was being set up
            }
        } catch (IOException e) {
            // the target is not there: the initiator sees what it would see without the proxy, a dead connection
            ProxiedConnection.abort(initiator);
            ProxiedConnection.abort(target);
        }
    }
}

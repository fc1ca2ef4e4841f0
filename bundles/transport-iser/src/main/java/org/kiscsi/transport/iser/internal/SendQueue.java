package org.kiscsi.transport.iser.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.transport.iser.verbs.QueuePair;
import org.kiscsi.transport.iser.verbs.SendRequest;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * A connection's RDMA Sends, in order: at most the send queue's depth posted to the queue pair, the
 * rest waiting behind them. Work request ids carry {@link #TX}, so a completion says which queue it
 * belongs to.
 */
final class SendQueue {
    /** Set in the work request id of every Send (receives use their slot number). */
    static final long TX = 1L << 62;

    /** A PDU on its way, and who waits for it. */
    record Sending(long id, IserPdu pdu, CompletableFuture<Void> done) {
    }

    private final int depth;
    private final String where;
    private final Consumer<IscsiException> refused;
    private final Map<Long, Sending> inFlight = new ConcurrentHashMap<>();
    private final ArrayDeque<Sending> waiting = new ArrayDeque<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile QueuePair qp;

    /** {@code refused} hears why the queue pair refused a Send (the connection cannot go on). */
    SendQueue(int depth, String where, Consumer<IscsiException> refused) {
        this.depth = depth;
        this.where = where;
        this.refused = refused;
    }

    void start(QueuePair q) {
        this.qp = q;
    }

    static boolean isSend(long wrId) {
        return (wrId & TX) != 0;
    }

    /** Queues {@code pdu}; {@code done} completes when its Send completed, or fails with the connection. */
    void add(IserPdu pdu, CompletableFuture<Void> done) {
        synchronized (waiting) {
            waiting.add(new Sending(ids.incrementAndGet() | TX, pdu, done));
        }
        pump();
    }

    /** Posts waiting Sends while the send queue has room. */
    void pump() {
        while (true) {
            Sending s;
            synchronized (waiting) {
                if (inFlight.size() >= depth || (s = waiting.poll()) == null) {
                    return;
                }
                inFlight.put(s.id(), s);
            }
            try {
                qp.postSend(SendRequest.send(s.id(), s.pdu().block().sge(0, s.pdu().sendLength())));
            } catch (VerbsException e) {
                inFlight.remove(s.id());
                s.pdu().release();
                IscsiException x = new IscsiException(IscsiError.TRANS, where + ": RDMA Send refused: " + e.getMessage(), e);
                s.done().completeExceptionally(x);
                refused.accept(x);
                return;
            }
        }
    }

    /** The Send {@code wrId} completed: its buffer goes back; its stage completes, or fails with {@code failure}. */
    void completed(long wrId, IscsiException failure) {
        Sending s = inFlight.remove(wrId);
        if (s != null) {
            s.pdu().release();
            if (failure == null) {
                s.done().complete(null);
            } else {
                s.done().completeExceptionally(failure);
            }
        }
    }

    /** The connection closed: every Send not completed fails with {@code why}. */
    void failAll(IscsiException why) {
        List<Sending> failed = new ArrayList<>(inFlight.values());
        inFlight.clear();
        synchronized (waiting) {
            failed.addAll(waiting);
            waiting.clear();
        }
        for (Sending s : failed) {
            s.pdu().release();
            s.done().completeExceptionally(why);
        }
    }
}

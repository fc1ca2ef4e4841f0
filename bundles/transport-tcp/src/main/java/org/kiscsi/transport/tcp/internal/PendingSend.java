package org.kiscsi.transport.tcp.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.mina.core.future.WriteFuture;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * A send between {@code send()} and its completion: its parts' MINA write futures, or the
 * connection failing it first. It finishes exactly once, whichever comes first. That matters
 * because MINA 2.2's {@code IoSession.closeNow()} marks queued writes as <em>written</em> and
 * never completes a partly written one; the connection therefore fails its pending sends itself
 * before it closes the session, and MINA's later word is ignored.
 */
final class PendingSend {
    private final OutboundPdu pdu;
    private final long bytes;
    private final String peer;
    private final AtomicInteger parts;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Consumer<PendingSend> onFinish;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    PendingSend(OutboundPdu pdu, long bytes, int parts, String peer, Consumer<PendingSend> onFinish) {
        this.pdu = pdu;
        this.bytes = bytes;
        this.parts = new AtomicInteger(parts);
        this.peer = peer;
        this.onFinish = onFinish;
    }

    long bytes() {
        return bytes;
    }

    /** MINA reports on one part. */
    void partDone(WriteFuture f) {
        if (!f.isWritten()) {
            Throwable e = f.getException();
            failure.compareAndSet(null, e != null ? e : new IllegalStateException("not written"));
        }
        if (parts.decrementAndGet() == 0) {
            Throwable e = failure.get();
            finish(e == null ? null : new IscsiException(IscsiError.TRANS, "sending a PDU to " + peer + " failed: " + e, e));
        }
    }

    /** The connection closes before the PDU left. */
    void fail(IscsiException e) {
        finish(e);
    }

    private void finish(IscsiException e) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        onFinish.accept(this);
        pdu.release();
        if (e == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(e);
        }
    }
}

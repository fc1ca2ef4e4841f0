package org.kiscsi.testkit.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.spi.transport.PduBuffer;
import org.kiscsi.spi.transport.TransportListener;

/** A listener that queues what it hears, for tests; it also checks calls never overlap. */
public class RecordingListener implements TransportListener {
    public final BlockingQueue<PduBuffer> received = new LinkedBlockingQueue<>();
    public final CompletableFuture<Throwable> closed = new CompletableFuture<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private final List<String> violations = new ArrayList<>();
    private volatile int closeCalls;

    @Override
    public void received(PduBuffer pdu) {
        enter();
        try {
            if (closed.isDone()) {
                violation("a PDU was delivered after closed()");
            }
            received.add(pdu);
        } finally {
            inCall.decrementAndGet();
        }
    }

    @Override
    public void closed(Throwable cause) {
        enter();
        try {
            closeCalls++;
            closed.complete(cause);
        } finally {
            inCall.decrementAndGet();
        }
    }

    private void enter() {
        if (inCall.incrementAndGet() != 1) {
            violation("listener called concurrently");
        }
    }

    private synchronized void violation(String v) {
        violations.add(v);
    }

    public synchronized List<String> violations() {
        List<String> v = new ArrayList<>(violations);
        if (closeCalls > 1) {
            v.add("closed() called " + closeCalls + " times");
        }
        return v;
    }

    public PduBuffer next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }
}

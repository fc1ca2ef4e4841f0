package org.kiscsi.transport.iser.soft;

import java.util.ArrayDeque;
import java.util.List;

import org.kiscsi.transport.iser.verbs.CompletionQueue;
import org.kiscsi.transport.iser.verbs.WorkCompletion;

/** A bounded completion queue with one-shot notification, as ibv_req_notify_cq. */
final class SoftCq implements CompletionQueue {
    private final int entries;
    private final Runnable notify;
    private final ArrayDeque<WorkCompletion> queue = new ArrayDeque<>();
    private boolean armed;
    private boolean closed;

    SoftCq(int entries, Runnable notify) {
        this.entries = entries;
        this.notify = notify;
    }

    /** Adds a completion; false when the queue is full (an overrun, which fails the queue pair). */
    boolean add(WorkCompletion wc) {
        boolean wake;
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (queue.size() >= entries) {
                return false;
            }
            queue.add(wc);
            wake = armed;
            armed = false;
        }
        if (wake) {
            notify.run();
        }
        return true;
    }

    @Override
    public synchronized int poll(List<WorkCompletion> into, int max) {
        int n = 0;
        while (n < max && !queue.isEmpty()) {
            into.add(queue.poll());
            n++;
        }
        return n;
    }

    @Override
    public synchronized void requestNotify() {
        armed = true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}

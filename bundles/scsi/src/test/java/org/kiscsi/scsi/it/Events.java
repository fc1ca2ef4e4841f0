package org.kiscsi.scsi.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Events heard on kiscsi's threads, awaited by a test with a bound. */
final class Events<T> {
    private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private final List<T> seen = new ArrayList<>();

    void add(T event) {
        queue.add(event);
    }

    /** The first event (from now on, or queued earlier and not yet taken) matching {@code which}; fails after {@code within}. */
    T await(Predicate<T> which, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                T e = queue.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    break;
                }
                seen.add(e);
                if (which.test(e)) {
                    return e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no " + what + " within " + within.toMillis() + " ms; heard " + seen);
    }

    /** Everything heard so far, taken or not. */
    List<T> all() {
        List<T> all = new ArrayList<>(seen);
        all.addAll(queue);
        return all;
    }
}

package org.kiscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Completes once all of a known number of parts have completed: normally, or with the first part's
 * failure. It waits for every part even after a failure, so a caller's buffer is never still being
 * filled when the call has already failed.
 */
final class Join implements BiConsumer<Object, Throwable> {
    final CompletableFuture<Void> future = new CompletableFuture<>();
    private final AtomicInteger pending;
    private volatile Throwable firstError;

    Join(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException(parts + " parts");
        }
        this.pending = new AtomicInteger(parts);
    }

    /** Counts {@code part} in. */
    void add(CompletionStage<?> part) {
        part.whenComplete(this);
    }

    /** Counts in a part that could not even be started. */
    void failed(Throwable error) {
        accept(null, error);
    }

    @Override
    public void accept(Object ignored, Throwable error) {
        if (error != null) {
            synchronized (this) {
                if (firstError == null) {
                    firstError = CommandRunner.unwrap(error);
                }
            }
        }
        if (pending.decrementAndGet() == 0) {
            Throwable e = firstError;
            if (e == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(e);
            }
        }
    }
}

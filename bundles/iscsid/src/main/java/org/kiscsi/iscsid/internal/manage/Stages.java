package org.kiscsi.iscsid.internal.manage;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.Outcome;

/** Running work on the daemon's workers, and turning failures into outcomes. */
final class Stages {
    private Stages() {
    }

    /** {@code body} on {@code workers}; the stage fails with what it throws, unwrapped. */
    static <T> CompletableFuture<T> on(Executor workers, Supplier<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    f.complete(body.get());
                } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IscsiException(IscsiError.ISCSID_NOTCONN, "iscsid is stopping", e));
        }
        return f;
    }

    /** {@code body}'s stage, or a failed one when {@code body} throws (a stage never throws at its caller). */
    static <T> CompletionStage<T> guarded(Supplier<CompletionStage<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A failed outcome for {@code subject}: the exception's status and message, INTERNAL for anything else. */
    static <T> Outcome<T> failed(T subject, Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof IscsiException e && e.error() != IscsiError.OK) {
            return Outcome.failed(subject, e.error(), String.valueOf(e.getMessage()));
        }
        return Outcome.failed(subject, IscsiError.INTERNAL, String.valueOf(c));
    }

    /** Waits for all, in their order. */
    static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> stages) {
        return CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> stages.stream().map(CompletableFuture::join).toList());
    }
}

package org.kiscsi.api.scsi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/** Waits for a stage, at the edges only (tools, shell, tests): every wait has a timeout. */
public final class Await {
    private Await() {
    }

    /**
     * The stage's value. Rethrows the stage's own {@link RuntimeException} (an {@link IscsiException}, a
     * {@link CheckConditionException}, ...) so callers can catch it by type; wraps other failures.
     *
     * @param what what is awaited, for the messages (e.g. "session 3 LUN 1: READ")
     * @throws IscsiException {@link IscsiError#REQ_TIMEDOUT} after {@code timeout}; {@link IscsiError#GENERIC}
     *         when interrupted (the interrupt flag is set again)
     */
    public static <T> T result(CompletionStage<T> stage, Duration timeout, String what) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(timeout, "timeout");
        try {
            return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IscsiException(IscsiError.REQ_TIMEDOUT, what + ": no result within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IscsiException(IscsiError.GENERIC, what + ": interrupted while waiting", e);
        } catch (CancellationException e) {
            throw new IscsiException(IscsiError.GENERIC, what + ": cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IscsiException(IscsiError.GENERIC, what + ": " + cause, cause);
        }
    }
}

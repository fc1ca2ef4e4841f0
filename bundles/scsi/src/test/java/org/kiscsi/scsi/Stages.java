package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Bounded waits on stages for tests. */
final class Stages {
    private Stages() {
    }

    static <T> T await(CompletionStage<T> s) {
        try {
            return s.toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("stage did not complete: " + e, e);
        }
    }

    /** The exception the stage failed with (unwrapped), failing the test if it completed normally. */
    static <X extends Throwable> X failure(Class<X> type, CompletionStage<?> s) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.toCompletableFuture().get(5, TimeUnit.SECONDS));
        Throwable c = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                ? e.getCause().getCause() : e.getCause();
        if (!type.isInstance(c)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + c, c);
        }
        return type.cast(c);
    }
}

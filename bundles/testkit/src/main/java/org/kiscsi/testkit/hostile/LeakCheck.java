package org.kiscsi.testkit.hostile;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The checks the hostile tests share: every operation answered within a bound, and after each case
 * no session, task, open connection or PDU buffer left; after all cases no thread or file
 * descriptor more than before (the transport's own pool within its bound).
 *
 * <pre>{@code
 * LeakCheck check = new LeakCheck(watching, () -> engine.sessions().size(), engine::tasksHeld, Duration.ofSeconds(30));
 * SessionInfo s = check.bounded(engine.login(record));
 * assertEquals(List.of(), check.leftBehind());
 * }</pre>
 */
public final class LeakCheck {
    /** How long counts may take to settle after a case: closing connections and ending tasks is asynchronous. */
    public static final Duration SETTLE = Duration.ofSeconds(10);
    private final LeakCounts.Watching watching;
    private final LongSupplier sessions;
    private final LongSupplier tasks;
    private final Duration bound;

    /**
     * @param watching the transport the engine under test uses
     * @param sessions the engine's sessions
     * @param tasks the tasks the engine holds (task tables and waiting)
     * @param bound how long one operation may take at most
     */
    public LeakCheck(LeakCounts.Watching watching, LongSupplier sessions, LongSupplier tasks, Duration bound) {
        this.watching = watching;
        this.sessions = sessions;
        this.tasks = tasks;
        this.bound = bound;
    }

    /**
     * The stage's value; its failure as an {@link java.util.concurrent.ExecutionException}; an
     * {@link AssertionError} when it is still not done after the bound.
     */
    public <T> T bounded(CompletionStage<T> s) throws Exception {
        try {
            return s.toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("an operation still waits after " + bound.toSeconds() + " s");
        }
    }

    /** What a case left: "sessions: 1", "PDU buffers: 3", ... (empty when nothing), waiting up to {@link #SETTLE}. */
    public List<String> leftBehind() throws InterruptedException {
        Map<String, LongSupplier> counts = new LinkedHashMap<>();
        counts.put("sessions", sessions);
        counts.put("tasks", tasks);
        counts.put("connections", watching::openConnections);
        counts.put("PDU buffers", watching::buffersOutstanding);
        return LeakCounts.left(counts, SETTLE);
    }

    /** Threads and file descriptors before the cases, to compare with after them. */
    public static Baseline baseline(String transportThreadPrefix, int transportThreadsMax) {
        return new Baseline(transportThreadPrefix, transportThreadsMax,
                LeakCounts.threads("") - LeakCounts.threads(transportThreadPrefix), LeakCounts.fileDescriptors());
    }

    /** Threads other than the transport's and file descriptors (jars left out) counted before the cases. */
    public record Baseline(String transportThreadPrefix, int transportThreadsMax, long otherThreads, long fileDescriptors) {
        /**
         * What grew since: threads other than the transport's, the transport's over its bound, file
         * descriptors (empty when nothing), waiting up to {@link #SETTLE}.
         */
        public List<String> grown() throws InterruptedException {
            Map<String, LongSupplier> counts = new LinkedHashMap<>();
            counts.put("threads other than the transport's, more than before",
                    () -> Math.max(0, LeakCounts.threads("") - LeakCounts.threads(transportThreadPrefix) - otherThreads));
            counts.put("transport threads over its bound of " + transportThreadsMax,
                    () -> Math.max(0, LeakCounts.threads(transportThreadPrefix) - transportThreadsMax));
            if (fileDescriptors >= 0) {
                counts.put("file descriptors (jars left out) more than before",
                        () -> Math.max(0, LeakCounts.fileDescriptors() - fileDescriptors));
            }
            List<String> left = LeakCounts.left(counts, SETTLE);
            return left.isEmpty() ? left : List.of(left + "; threads now " + LeakCounts.threadNames(""));
        }
    }
}

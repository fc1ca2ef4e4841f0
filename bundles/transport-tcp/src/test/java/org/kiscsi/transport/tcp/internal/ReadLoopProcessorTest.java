package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kiscsi.transport.tcp.TcpOptions;

/** The processor takes its polling settings from the threads MINA creates it with. */
class ReadLoopProcessorTest {
    @Test
    void theProcessorTakesTheBusyPollFromItsThreads() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ReadLoopProcessor polling = new ReadLoopProcessor(threads(pool, 50_000, 0, 16));
            ReadLoopProcessor plain = new ReadLoopProcessor(pool);
            assertTrue(polling.busyPollNanos() == 50_000 && plain.busyPollNanos() == 0);
            polling.dispose();
            plain.dispose();
        } finally {
            pool.shutdownNow();
        }
    }

    private static ReadLoopProcessor.Threads threads(java.util.concurrent.Executor pool, long busyPollNanos, long coalesceNanos,
            int coalesceMinReplies) {
        return new ReadLoopProcessor.Threads(pool, new LiveOptions(TcpOptions.DEFAULTS.withBusyPollNanos(busyPollNanos)
                .withReadCoalescing(coalesceNanos, coalesceMinReplies)));
    }
}

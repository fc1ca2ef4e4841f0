package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kiscsi.transport.tcp.TcpOptions;

/** When the processor may answer MINA's next read without a system call. */
class ReadLoopProcessorTest {
    private final ReadLoopProcessor.ShortReads reads = new ReadLoopProcessor.ShortReads();
    private final Object a = new Object();
    private final Object b = new Object();

    @Test
    void aShortReadMeansTheSocketIsEmptyForTheNextReadOnly() {
        assertFalse(reads.drained(a));
        reads.read(a, 16384, 48);
        assertTrue(reads.drained(a), "the read after a short one is answered without a system call");
        assertFalse(reads.drained(a), "only once: the next selector pass reads the socket again");
    }

    @Test
    void aFullBufferOrNothingReadSaysNothing() {
        reads.read(a, 16384, 16384);
        assertFalse(reads.drained(a), "a full buffer: more may be waiting");
        reads.read(a, 16384, 0);
        assertFalse(reads.drained(a));
        reads.read(a, 16384, -1);
        assertFalse(reads.drained(a));
    }

    @Test
    void anotherSessionsReadIsNotSkipped() {
        reads.read(a, 16384, 48);
        assertFalse(reads.drained(b));
    }

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

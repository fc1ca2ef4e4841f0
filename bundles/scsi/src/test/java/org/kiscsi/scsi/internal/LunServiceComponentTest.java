package org.kiscsi.scsi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.scsi.OneSessionManager;

class LunServiceComponentTest {
    /** REPORT LUNS answered with one LUN, 5. */
    private final ScsiTaskExecutor target = new ScsiTaskExecutor() {
        @Override
        public java.util.concurrent.CompletionStage<ScsiResult> execute(org.kiscsi.api.scsi.ScsiTask t) {
            byte[] d = {0, 0, 0, 8, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0};
            t.dataIn().put(d);
            return java.util.concurrent.CompletableFuture.completedFuture(new ScsiResult(0, null, d.length, 0,
                    ScsiResult.Residual.NONE));
        }

        @Override
        public int queueDepth() {
            return 1;
        }
    };

    private static LunServiceComponent.Config config(int maxTransferBytes, int retries) {
        return new LunServiceComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LunServiceComponent.Config.class;
            }

            @Override
            public int maxTransferBytes() {
                return maxTransferBytes;
            }

            @Override
            public int unitAttentionRetries() {
                return retries;
            }
        };
    }

    @Test
    void withoutASessionEngineCallsFailSayingSo() {
        LunServiceComponent c = new LunServiceComponent();
        c.configure(config(1 << 20, 5));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> c.reportLuns(3).toCompletableFuture().get(5, TimeUnit.SECONDS));
        IscsiException i = (IscsiException) e.getCause();
        assertEquals(IscsiError.SESSION_NOT_CONNECTED, i.error());
        assertTrue(i.getMessage().contains("no session engine"), i.getMessage());
        assertTrue(c.open(3, 1).toCompletableFuture().isCompletedExceptionally());
        assertTrue(c.inquiry(3, 1).toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void withASessionEngineCallsGoThroughItAndStopWhenItLeaves() throws Exception {
        LunServiceComponent c = new LunServiceComponent();
        c.configure(config(1 << 20, 5));
        OneSessionManager engine = new OneSessionManager(3, target);
        c.setSessionManager(engine);
        assertEquals(List.of(5L), c.reportLuns(3).toCompletableFuture().get(5, TimeUnit.SECONDS));
        c.unsetSessionManager(engine);
        assertTrue(c.reportLuns(3).toCompletableFuture().isCompletedExceptionally());
    }

    /** A 64-block disk that answers just what opening a block device asks, and retries unit attentions itself. */
    private final ScsiTaskExecutor disk = new ScsiTaskExecutor() {
        @Override
        public java.util.concurrent.CompletionStage<ScsiResult> execute(org.kiscsi.api.scsi.ScsiTask t) {
            int op = t.cdb()[0] & 0xFF;
            byte[] d;
            if (op == 0x9E) {
                d = java.nio.ByteBuffer.allocate(32).putLong(63).putInt(512).array();
            } else if (op == 0x12 && (t.cdb()[1] & 1) == 0) {
                d = new byte[36];
                d[2] = 5;
                d[4] = 31;
            } else {
                byte[] sense = {0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0}; // INVALID FIELD IN CDB
                return java.util.concurrent.CompletableFuture.completedFuture(new ScsiResult(2, sense, 0, 0, ScsiResult.Residual.NONE));
            }
            int n = Math.min(d.length, t.dataIn().remaining());
            t.dataIn().put(d, 0, n);
            return java.util.concurrent.CompletableFuture.completedFuture(new ScsiResult(0, null, n, 0, ScsiResult.Residual.NONE));
        }

        @Override
        public int queueDepth() {
            return 1;
        }

        @Override
        public boolean retriesUnitAttentions() {
            return true;
        }
    };

    @Test
    void itListensToTheBoundEngineForItsDevicesAndLetsGoWhenTheEngineLeaves() throws Exception {
        LunServiceComponent c = new LunServiceComponent();
        c.configure(config(1 << 20, 5));
        OneSessionManager first = new OneSessionManager(3, disk);
        c.setSessionManager(first);
        assertEquals(64, c.open(3, 1).toCompletableFuture().get(5, TimeUnit.SECONDS).blockCount());
        assertEquals(1, first.listeners().size());
        OneSessionManager second = new OneSessionManager(3, disk);
        c.setSessionManager(second); // DS greedy: the new engine is bound before the old one is unbound
        assertEquals(List.of(), first.listeners(), "the replaced engine is no longer listened to");
        c.unsetSessionManager(first);
        c.open(3, 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(1, second.listeners().size(), "unbinding the old engine leaves the new one in place");
        c.deactivate();
        assertEquals(List.of(), second.listeners());
    }

    @Test
    void aBadConfigurationIsRefused() {
        LunServiceComponent c = new LunServiceComponent();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> c.configure(config(0, 5)));
    }
}

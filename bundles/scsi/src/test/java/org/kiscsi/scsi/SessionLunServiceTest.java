package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Stages.await;
import static org.kiscsi.scsi.Stages.failure;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.LunService;

class SessionLunServiceTest {
    private final MemoryDisk disk = new MemoryDisk(4096, 64);
    private final LunService luns = new SessionLunService(new OneSessionManager(7, disk), BlockDeviceOptions.DEFAULTS);

    @Test
    void reportLunsGoesToLunZero() {
        assertEquals(List.of(0L, 1L), await(luns.reportLuns(7)));
        assertArrayEquals(PrimaryCdbs.reportLuns(0, ReportLunsParser.ALLOCATION_LENGTH), disk.cdbs.get(0));
    }

    @Test
    void reportLunsAsksAgainWhenTheListIsLongerThanTheFirstAllocation() {
        int count = 300;
        ByteBuffer reply = ByteBuffer.allocate(8 + 8 * count).putInt(8 * count).putInt(0);
        for (int i = 0; i < count; i++) {
            reply.put(Luns.encode(i));
        }
        List<Integer> allocations = new java.util.ArrayList<>();
        org.kiscsi.api.scsi.ScsiTaskExecutor target = new org.kiscsi.api.scsi.ScsiTaskExecutor() {
            @Override
            public java.util.concurrent.CompletionStage<org.kiscsi.api.scsi.ScsiResult> execute(org.kiscsi.api.scsi.ScsiTask t) {
                int n = Math.min(t.expectedInLength(), reply.capacity());
                allocations.add(t.expectedInLength());
                t.dataIn().put(reply.array(), 0, n);
                return java.util.concurrent.CompletableFuture.completedFuture(new org.kiscsi.api.scsi.ScsiResult(0, null, n,
                        0, org.kiscsi.api.scsi.ScsiResult.Residual.NONE));
            }

            @Override
            public int queueDepth() {
                return 1;
            }
        };
        List<Long> all = await(new SessionLunService(new OneSessionManager(1, target), BlockDeviceOptions.DEFAULTS).reportLuns(1));
        assertEquals(count, all.size());
        assertEquals(299L, all.get(299));
        assertEquals(List.of(ReportLunsParser.ALLOCATION_LENGTH, 8 + 8 * count), allocations);
    }

    @Test
    void openAndInquiryNameTheSessionAndTarget() {
        BlockDevice d = await(luns.open(7, 1));
        assertEquals(4096, d.blockSize());
        assertEquals(64, d.blockCount());
        assertEquals("MEMORY-DISK", await(luns.inquiry(7, 1)).product());
        CheckConditionException e = failure(CheckConditionException.class, d.read(64, ByteBuffer.allocate(4096)));
        assertTrue(e.getMessage().startsWith("session 7 (127.0.0.1:3260,1 iqn.2026-11.test.kiscsi:disk) LUN 1: READ(10)"),
                e.getMessage());
    }

    @Test
    void anUnknownSessionFailsTheStage() {
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.reportLuns(8)).error());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.open(8, 1)).error());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.inquiry(8, 1)).error());
    }
}

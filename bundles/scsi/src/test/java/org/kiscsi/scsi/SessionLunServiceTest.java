package org.kiscsi.scsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kiscsi.scsi.Stages.await;
import static org.kiscsi.scsi.Stages.failure;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.SenseKey;
import org.kiscsi.api.scsi.UnitAttentionListener;

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
    void capacityReadsItWithoutOpeningADevice() {
        org.kiscsi.api.scsi.Capacity c = await(luns.capacity(7, 1));
        assertEquals(64, c.blockCount());
        assertEquals(4096, c.blockSize());
        assertEquals(0, ((SessionLunService) luns).openDevices(7));
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.capacity(8, 1)).error());
    }

    /** A disk behind a session that owns unit attentions, as kiscsi's engine does. */
    private final MemoryDisk owned = new MemoryDisk(512, 128);
    private final OneSessionManager engine = new OneSessionManager(7, owned);
    private final SessionLunService service = new SessionLunService(engine, BlockDeviceOptions.DEFAULTS);

    {
        owned.ownsUnitAttentions = true;
    }

    private static UnitAttentionListener recorder(List<String> heard, BlockDevice d) {
        return new UnitAttentionListener() {
            @Override
            public void unitAttention(long lun, Sense sense) {
                heard.add("ua " + lun + " " + Integer.toHexString(sense.asc()) + "/" + Integer.toHexString(sense.ascq()));
            }

            @Override
            public void rescanNeeded(long lun, Sense sense) {
                heard.add("rescan " + lun + " " + Integer.toHexString(sense.asc()) + "/" + Integer.toHexString(sense.ascq())
                        + " at " + d.blockCount() + " blocks");
            }
        };
    }

    @Test
    void theSessionsRescansReachTheOpenDevicesOfThatSessionAndLun() {
        BlockDevice one = await(service.open(7, 1));
        BlockDevice two = await(service.open(7, 2));
        assertEquals(1, engine.listeners().size(), "one listener on the session manager, from the first open on");
        List<String> heardOne = new CopyOnWriteArrayList<>();
        List<String> heardTwo = new CopyOnWriteArrayList<>();
        one.addUnitAttentionListener(recorder(heardOne, one));
        two.addUnitAttentionListener(recorder(heardTwo, two));

        owned.blockCount = 200;
        engine.raiseRescan(7, 1, "CAPACITY DATA HAS CHANGED");
        assertEquals(List.of("ua 1 2a/9", "rescan 1 2a/9 at 200 blocks"), heardOne, "capacity read again first");
        assertEquals(200, one.capacity().blockCount());
        assertEquals(List.of(), heardTwo, "LUN 2 did not report it");
        assertEquals(128, two.blockCount());

        engine.raiseRescan(7, 2, "REPORTED LUNS DATA HAS CHANGED");
        assertEquals(List.of("ua 2 3f/e", "rescan 2 3f/e at 128 blocks"), heardTwo);
        engine.raiseRescan(8, 1, "CAPACITY DATA HAS CHANGED");
        assertEquals(2, heardOne.size(), "another session's rescan is not this device's");
    }

    @Test
    void aReasonOutsideTheAscTableIsNotPassedOn() {
        BlockDevice d = await(service.open(7, 1));
        List<String> heard = new CopyOnWriteArrayList<>();
        d.addUnitAttentionListener(recorder(heard, d));
        engine.raiseRescan(7, 1, "SOMETHING CHANGED");
        assertEquals(List.of(), heard);
    }

    @Test
    void aClosedSessionIsForgottenAndAClosedServiceStopsListening() {
        BlockDevice d = await(service.open(7, 1));
        assertEquals(1, service.openDevices(7));
        engine.close(7);
        assertEquals(0, service.openDevices(7));
        service.close();
        assertEquals(List.of(), engine.listeners());
        await(service.open(7, 1));
        assertEquals(List.of(), engine.listeners(), "a closed service does not listen again");
        assertEquals(1, d.lun());
    }

    @Test
    void overASessionThatOwnsUnitAttentionsTheServiceDoesNotRetryOnTop() {
        owned.queueUnitAttention(0x29, 0x00);
        CheckConditionException e = failure(CheckConditionException.class, service.open(7, 1));
        assertEquals(SenseKey.UNIT_ATTENTION, e.sense().key());
        assertEquals(1, owned.count(0x9E), "READ CAPACITY(16) sent once: the session had retried already");
        await(service.open(7, 1));
        // a foreign executor (the disk of the other tests) is retried by the device: the same unit attention is absorbed
        disk.queueUnitAttention(0x29, 0x00);
        await(luns.open(7, 1));
        assertEquals(2, disk.count(0x9E));
    }

    @Test
    void anUnknownSessionFailsTheStage() {
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.reportLuns(8)).error());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.open(8, 1)).error());
        assertEquals(IscsiError.SESS_NOT_FOUND, failure(IscsiException.class, luns.inquiry(8, 1)).error());
    }
}

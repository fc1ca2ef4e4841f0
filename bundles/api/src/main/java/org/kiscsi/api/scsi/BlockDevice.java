package org.kiscsi.api.scsi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A logical unit seen as a block device: kiscsi lives in user space, so applications reach LUNs
 * through this interface instead of a /dev node. Calls are asynchronous; blocking wrappers belong to
 * the edges (tools, shell): see {@link BlockingBlockDevice}.
 *
 * <p>Failures complete the stages with an {@link IscsiException}: a SCSI status other than GOOD as a
 * {@link ScsiStatusException} (CHECK CONDITION as {@link CheckConditionException}, with the decoded
 * sense), bad arguments as {@link IscsiError#INVAL}. A UNIT ATTENTION never fails a command: the device
 * retries it and tells its {@link UnitAttentionListener}s.
 *
 * <p>Buffers: the device reads and writes between a buffer's position and limit and changes neither.
 *
 * <p>Methods added in 1.1 have defaults that fail with {@link IscsiError#OP_NOT_SUPP}, so that older
 * implementations still compile.
 */
@ProviderType
public interface BlockDevice {
    /** The LUN this device addresses. */
    long lun();

    /** Logical block size in bytes, from READ CAPACITY. */
    int blockSize();

    /** Number of logical blocks, from READ CAPACITY. */
    long blockCount();

    /** Reads {@code dst.remaining() / blockSize()} blocks at {@code lba} into {@code dst}. */
    CompletionStage<Void> read(long lba, ByteBuffer dst);

    /** Writes {@code src.remaining() / blockSize()} blocks at {@code lba}; FUA when {@code forceUnitAccess}. */
    CompletionStage<Void> write(long lba, ByteBuffer src, boolean forceUnitAccess);

    /** SYNCHRONIZE CACHE for the whole device. */
    CompletionStage<Void> flush();

    /**
     * Any other command, unchanged. The stage completes with the command's result whatever its status;
     * only a UNIT ATTENTION is retried first.
     */
    CompletionStage<ScsiResult> execute(ScsiTask task);

    /** The capacity as last read (at open, and again after CAPACITY DATA HAS CHANGED). @since 1.1 */
    default Capacity capacity() {
        return Capacity.of(blockCount(), blockSize());
    }

    /** READ CAPACITY again (16, or 10 where 16 is not supported); updates {@link #capacity()}. @since 1.1 */
    default CompletionStage<Capacity> readCapacity() {
        return unsupported("READ CAPACITY");
    }

    /** TEST UNIT READY: completes normally when the LU is ready. @since 1.1 */
    default CompletionStage<Void> testUnitReady() {
        return unsupported("TEST UNIT READY");
    }

    /** Standard INQUIRY data. @since 1.1 */
    default CompletionStage<StandardInquiry> inquiry() {
        return unsupported("INQUIRY");
    }

    /** The page codes of VPD page 0x00, Supported VPD Pages. @since 1.1 */
    default CompletionStage<List<Integer>> supportedVpdPages() {
        return unsupported("INQUIRY VPD 0x00");
    }

    /** Any VPD page, raw: header (4 bytes) and contents, as many bytes as the target returned. @since 1.1 */
    default CompletionStage<byte[]> vpdPage(int pageCode) {
        return unsupported(String.format("INQUIRY VPD 0x%02X", pageCode));
    }

    /** PRODUCT SERIAL NUMBER of VPD page 0x80 (Unit Serial Number), trimmed. @since 1.1 */
    default CompletionStage<String> unitSerialNumber() {
        return unsupported("INQUIRY VPD 0x80");
    }

    /** The designators of VPD page 0x83 (Device Identification), in order. @since 1.1 */
    default CompletionStage<List<DeviceIdentifier>> deviceIdentifiers() {
        return unsupported("INQUIRY VPD 0x83");
    }

    /** VPD page 0xB0, Block Limits; {@link BlockLimits#NONE} when the LU does not have it. @since 1.1 */
    default CompletionStage<BlockLimits> blockLimits() {
        return unsupported("INQUIRY VPD 0xB0");
    }

    /** VPD page 0xB2, Logical Block Provisioning. @since 1.1 */
    default CompletionStage<LogicalBlockProvisioning> logicalBlockProvisioning() {
        return unsupported("INQUIRY VPD 0xB2");
    }

    /** Writes {@code src} at {@code lba} without FUA. @since 1.1 */
    default CompletionStage<Void> write(long lba, ByteBuffer src) {
        return write(lba, src, false);
    }

    /** SYNCHRONIZE CACHE of {@code blocks} blocks from {@code lba} (0 blocks: to the end). @since 1.1 */
    default CompletionStage<Void> synchronizeCache(long lba, long blocks) {
        return unsupported("SYNCHRONIZE CACHE");
    }

    /** UNMAP of these ranges (split into several commands where the Block Limits page asks). @since 1.1 */
    default CompletionStage<Void> unmap(List<UnmapRange> ranges) {
        return unsupported("UNMAP");
    }

    /**
     * WRITE SAME (16): writes the one block in {@code block} to {@code blocks} blocks from {@code lba}, or,
     * with {@code unmap}, asks the target to unmap them instead where it can. @since 1.1
     */
    default CompletionStage<Void> writeSame(long lba, long blocks, ByteBuffer block, boolean unmap) {
        return unsupported("WRITE SAME(16)");
    }

    /**
     * GET LBA STATUS (16) from {@code lba}: the provisioning status of the extents the target reports in
     * one reply of at most {@code maxDescriptors} descriptors, in order, the first one starting at
     * {@code lba}. A thin LU answers; a fully provisioned one may fail with INVALID COMMAND OPERATION
     * CODE. @since 1.5
     */
    default CompletionStage<List<LbaStatus>> getLbaStatus(long lba, int maxDescriptors) {
        return unsupported("GET LBA STATUS");
    }

    /**
     * COMPARE AND WRITE: if the blocks at {@code lba} equal {@code expected}, writes {@code replacement}
     * there, atomically. A difference fails with a {@link CheckConditionException} of sense key MISCOMPARE
     * whose information field is the offset of the first differing byte. @since 1.1
     */
    default CompletionStage<Void> compareAndWrite(long lba, ByteBuffer expected, ByteBuffer replacement) {
        return unsupported("COMPARE AND WRITE");
    }

    /**
     * MODE SENSE of the current values of a page (0x3F: all pages), by MODE SENSE (10), or (6) where
     * (10) is not supported. @since 1.1
     */
    default CompletionStage<ModeSenseData> modeSense(int pageCode, int subpageCode) {
        return unsupported("MODE SENSE");
    }

    /** PERSISTENT RESERVE IN / READ KEYS. @since 1.1 */
    default CompletionStage<PrKeys> readReservationKeys() {
        return unsupported("PERSISTENT RESERVE IN");
    }

    /** PERSISTENT RESERVE IN / READ RESERVATION: the reservation, or empty when none is held. @since 1.1 */
    default CompletionStage<Optional<PersistentReservation>> readReservation() {
        return unsupported("PERSISTENT RESERVE IN");
    }

    /** PERSISTENT RESERVE OUT. @since 1.1 */
    default CompletionStage<Void> persistentReserveOut(PrOut request) {
        return unsupported("PERSISTENT RESERVE OUT");
    }

    /** Starts telling {@code listener} of unit attentions on this device. @since 1.1 */
    default void addUnitAttentionListener(UnitAttentionListener listener) {
        throw new IscsiException(IscsiError.OP_NOT_SUPP, getClass().getName() + " does not report unit attentions");
    }

    /** @since 1.1 */
    default void removeUnitAttentionListener(UnitAttentionListener listener) {
    }

    private <T> CompletionStage<T> unsupported(String what) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.OP_NOT_SUPP,
                "LUN " + lun() + ": " + what + " is not supported by " + getClass().getName()));
    }
}

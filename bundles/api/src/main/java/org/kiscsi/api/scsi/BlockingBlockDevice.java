package org.kiscsi.api.scsi;

import org.osgi.annotation.versioning.ProviderType;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Blocking calls on top of a {@link BlockDevice}, for the edges (tools, shell, simple programs): each
 * waits at most {@link #timeout()} for the asynchronous call and rethrows its failure (see
 * {@link Await#result}). Get one with {@link #of(BlockDevice, Duration)}.
 *
 * @since 1.1
 */
@ProviderType
public interface BlockingBlockDevice {
    /** The asynchronous device underneath. */
    BlockDevice async();

    /** How long each call waits. */
    Duration timeout();

    /** Blocking calls on {@code device}, each waiting at most {@code timeout}. */
    static BlockingBlockDevice of(BlockDevice device, Duration timeout) {
        Objects.requireNonNull(device, "device");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " is not positive");
        }
        record Adapter(BlockDevice async, Duration timeout) implements BlockingBlockDevice {
        }
        return new Adapter(device, timeout);
    }

    private <T> T await(CompletionStage<T> stage, String what) {
        return Await.result(stage, timeout(), "LUN " + async().lun() + ": " + what);
    }

    default long lun() {
        return async().lun();
    }

    default Capacity capacity() {
        return async().capacity();
    }

    default void read(long lba, ByteBuffer dst) {
        await(async().read(lba, dst), "READ at LBA " + lba);
    }

    default void write(long lba, ByteBuffer src, boolean forceUnitAccess) {
        await(async().write(lba, src, forceUnitAccess), "WRITE at LBA " + lba);
    }

    default void write(long lba, ByteBuffer src) {
        write(lba, src, false);
    }

    default void flush() {
        await(async().flush(), "SYNCHRONIZE CACHE");
    }

    default ScsiResult execute(ScsiTask task) {
        return await(async().execute(task), String.format("command 0x%02X", task.cdb()[0] & 0xFF));
    }

    default Capacity readCapacity() {
        return await(async().readCapacity(), "READ CAPACITY");
    }

    default void testUnitReady() {
        await(async().testUnitReady(), "TEST UNIT READY");
    }

    default StandardInquiry inquiry() {
        return await(async().inquiry(), "INQUIRY");
    }

    default List<Integer> supportedVpdPages() {
        return await(async().supportedVpdPages(), "INQUIRY VPD 0x00");
    }

    default byte[] vpdPage(int pageCode) {
        return await(async().vpdPage(pageCode), String.format("INQUIRY VPD 0x%02X", pageCode));
    }

    default String unitSerialNumber() {
        return await(async().unitSerialNumber(), "INQUIRY VPD 0x80");
    }

    default List<DeviceIdentifier> deviceIdentifiers() {
        return await(async().deviceIdentifiers(), "INQUIRY VPD 0x83");
    }

    default BlockLimits blockLimits() {
        return await(async().blockLimits(), "INQUIRY VPD 0xB0");
    }

    default LogicalBlockProvisioning logicalBlockProvisioning() {
        return await(async().logicalBlockProvisioning(), "INQUIRY VPD 0xB2");
    }

    default void synchronizeCache(long lba, long blocks) {
        await(async().synchronizeCache(lba, blocks), "SYNCHRONIZE CACHE");
    }

    default void unmap(List<UnmapRange> ranges) {
        await(async().unmap(ranges), "UNMAP");
    }

    default void writeSame(long lba, long blocks, ByteBuffer block, boolean unmap) {
        await(async().writeSame(lba, blocks, block, unmap), "WRITE SAME at LBA " + lba);
    }

    default void compareAndWrite(long lba, ByteBuffer expected, ByteBuffer replacement) {
        await(async().compareAndWrite(lba, expected, replacement), "COMPARE AND WRITE at LBA " + lba);
    }

    default ModeSenseData modeSense(int pageCode, int subpageCode) {
        return await(async().modeSense(pageCode, subpageCode), "MODE SENSE");
    }

    default PrKeys readReservationKeys() {
        return await(async().readReservationKeys(), "PERSISTENT RESERVE IN");
    }

    default Optional<PersistentReservation> readReservation() {
        return await(async().readReservation(), "PERSISTENT RESERVE IN");
    }

    default void persistentReserveOut(PrOut request) {
        await(async().persistentReserveOut(request), "PERSISTENT RESERVE OUT " + request.action());
    }
}

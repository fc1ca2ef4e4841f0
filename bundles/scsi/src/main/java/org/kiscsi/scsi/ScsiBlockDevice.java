package org.kiscsi.scsi;

import static org.kiscsi.scsi.CommandRunner.FULL_TRANSFER;
import static org.kiscsi.scsi.CommandRunner.NOTHING;
import static org.kiscsi.scsi.CommandRunner.isIllegalRequest;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.BlockLimits;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.DeviceIdentifier;
import org.kiscsi.api.scsi.LbaStatus;
import org.kiscsi.api.scsi.LogicalBlockProvisioning;
import org.kiscsi.api.scsi.ModeSenseData;
import org.kiscsi.api.scsi.PersistentReservation;
import org.kiscsi.api.scsi.PrKeys;
import org.kiscsi.api.scsi.PrOut;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.scsi.UnitAttentionListener;
import org.kiscsi.api.scsi.UnmapRange;

/**
 * A {@link BlockDevice} over any {@link ScsiTaskExecutor}: it builds CDBs, parses replies and knows
 * nothing of iSCSI. Get one with {@link #open}.
 *
 * <p>READ and WRITE use the 10-byte CDB where it fits and the 16-byte one otherwise
 * ({@link BlockCdbs#fits10}); a transfer longer than the device's limit (the smaller of
 * {@link BlockDeviceOptions#maxTransferBytes()} and the Block Limits page's MAXIMUM TRANSFER LENGTH) is
 * split into several commands, sent together, each over a slice of the caller's buffer: data is never
 * copied. Buffer lengths must be whole blocks.
 *
 * <p>Unit attentions have one owner. An executor that {@linkplain ScsiTaskExecutor#retriesUnitAttentions
 * retries them} (kiscsi's sessions) keeps them: the device adds no retries and hears of changes from the
 * session, through the {@link SessionLunService} that opened it (opened here directly, it hears none).
 * Over other executors the device sends a command that got a UNIT ATTENTION again, up to
 * {@link BlockDeviceOptions#unitAttentionRetries()} times. Either way {@link UnitAttentionListener}s hear
 * of each; after CAPACITY DATA HAS CHANGED the device re-reads its capacity, then calls
 * {@link UnitAttentionListener#rescanNeeded}; REPORTED LUNS DATA HAS CHANGED goes there directly.
 */
public final class ScsiBlockDevice implements BlockDevice {
    /** Most commands one call splits into: a bound on what a mistaken length can make the device send. */
    static final int MAX_COMMANDS_PER_CALL = 1 << 20;

    private final long lun;
    private final BlockDeviceOptions options;
    private final CommandRunner runner;
    private final UnitAttentions unitAttentions;
    private volatile Capacity capacity;
    private volatile StandardInquiry standardInquiry;
    private volatile BlockLimits limits = BlockLimits.NONE;

    private ScsiBlockDevice(ScsiTaskExecutor executor, long lun, String where, BlockDeviceOptions options) {
        this.lun = lun;
        this.options = Objects.requireNonNull(options, "options");
        this.unitAttentions = new UnitAttentions(lun, where, this::readCapacity);
        this.runner = CommandRunner.over(Objects.requireNonNull(executor, "executor"), where, options, unitAttentions);
    }

    /**
     * Opens {@code lun}: READ CAPACITY (16, falling back to 10), standard INQUIRY, and the Block Limits
     * VPD page where the LU has it.
     *
     * @param where names the LU in messages, e.g. "session 3 LUN 1"
     */
    public static CompletionStage<ScsiBlockDevice> open(ScsiTaskExecutor executor, long lun, String where,
            BlockDeviceOptions options) {
        ScsiBlockDevice d = new ScsiBlockDevice(executor, lun, where, options);
        return d.readCapacity()
                .exceptionallyCompose(e -> d.explainNoCapacity(CommandRunner.unwrap(e)))
                .thenCompose(c -> d.inquiry())
                .thenCompose(i -> d.blockLimits())
                .thenApply(l -> d);
    }

    /** {@link #open(ScsiTaskExecutor, long, String, BlockDeviceOptions)} with default options, named "LUN n". */
    public static CompletionStage<ScsiBlockDevice> open(ScsiTaskExecutor executor, long lun) {
        return open(executor, lun, "LUN " + Luns.toString(lun), BlockDeviceOptions.DEFAULTS);
    }

    @Override
    public long lun() {
        return lun;
    }

    @Override
    public int blockSize() {
        return capacity.blockSize();
    }

    @Override
    public long blockCount() {
        return capacity.blockCount();
    }

    @Override
    public Capacity capacity() {
        return capacity;
    }

    /** The standard INQUIRY data read at open (or by the last {@link #inquiry()}). */
    public StandardInquiry standardInquiry() {
        return standardInquiry;
    }

    /** The Block Limits read at open (or by the last {@link #blockLimits()}); {@link BlockLimits#NONE} if none. */
    public BlockLimits limits() {
        return limits;
    }

    /** The most blocks one READ or WRITE carries. */
    public int maxTransferBlocks() {
        int bs = blockSize();
        long max = Math.max(1, options.maxTransferBytes() / bs);
        long vpd = limits.maxTransferLength();
        if (vpd > 0) {
            max = Math.min(max, vpd);
        }
        return (int) Math.min(max, Integer.MAX_VALUE / bs);
    }

    @Override
    public CompletionStage<Void> read(long lba, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            return invalid("READ at LBA 0x" + Long.toHexString(lba) + " into a read-only buffer");
        }
        return transfer(lba, dst, false, false);
    }

    @Override
    public CompletionStage<Void> write(long lba, ByteBuffer src, boolean forceUnitAccess) {
        return transfer(lba, src, true, forceUnitAccess);
    }

    private CompletionStage<Void> transfer(long lba, ByteBuffer buf, boolean write, boolean fua) {
        int bs = blockSize();
        int length = buf.remaining();
        long blocks = length / bs;
        if (length % bs != 0 || lba < 0 || lba > Long.MAX_VALUE - blocks) {
            return invalid((write ? "WRITE" : "READ") + " of " + length + " bytes at LBA " + lba + ": "
                    + (length % bs != 0 ? "the length is not a multiple of the " + bs + "-byte logical block size"
                            : "the LBA is out of range"));
        }
        if (blocks == 0) {
            return CompletableFuture.completedFuture(null);
        }
        int max = maxTransferBlocks();
        if (blocks <= max) {
            return send(lba, blocks, buf.slice(), write, fua);
        }
        int parts = (int) ((blocks + max - 1) / max);
        Join join = new Join(parts);
        int base = buf.position();
        for (int i = 0; i < parts; i++) {
            long first = (long) i * max;
            long n = Math.min(max, blocks - first);
            join.add(send(lba + first, n, buf.slice(base + (int) (first * bs), (int) (n * bs)), write, fua));
        }
        return join.future;
    }

    /** One READ or WRITE over {@code part}; no lambda here: this runs for every I/O. */
    private CompletableFuture<Void> send(long lba, long blocks, ByteBuffer part, boolean write, boolean fua) {
        byte[] cdb;
        try {
            cdb = write ? BlockCdbs.write(lba, blocks, fua) : BlockCdbs.read(lba, blocks, fua);
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        return runner.run(write ? ScsiTask.write(lun, cdb, part) : ScsiTask.read(lun, cdb, part), FULL_TRANSFER);
    }

    @Override
    public CompletionStage<Void> flush() {
        return runner.run(ScsiTask.noData(lun, BlockCdbs.synchronizeCache10(0, 0, false)), NOTHING);
    }

    @Override
    public CompletionStage<Void> synchronizeCache(long lba, long blocks) {
        return guard(() -> runner.run(ScsiTask.noData(lun, BlockCdbs.synchronizeCache(lba, blocks)), NOTHING));
    }

    @Override
    public CompletionStage<ScsiResult> execute(ScsiTask task) {
        if (task.lun() != lun) {
            return invalid("a command for LUN " + Luns.toString(task.lun()) + " sent through this LUN's device");
        }
        return runner.runRaw(task);
    }

    @Override
    public CompletionStage<Capacity> readCapacity() {
        return readCapacity(runner, lun).thenApply(c -> capacity = c);
    }

    /** READ CAPACITY (16), falling back to (10) where the LU refuses it. */
    static CompletionStage<Capacity> readCapacity(CommandRunner runner, long lun) {
        return runner.fetchOnce(lun, BlockCdbs.readCapacity16(BlockCdbs.READ_CAPACITY_16_LENGTH),
                BlockCdbs.READ_CAPACITY_16_LENGTH, CapacityParser::parse16)
                .exceptionallyCompose(e -> isIllegalRequest(e)
                        ? runner.fetchOnce(lun, BlockCdbs.readCapacity10(), 8, CapacityParser::parse10)
                        : CompletableFuture.failedFuture(CommandRunner.unwrap(e)));
    }

    /** READ CAPACITY was refused: say so, and what the LU is instead when INQUIRY tells. */
    private CompletionStage<Capacity> explainNoCapacity(Throwable e) {
        if (!isIllegalRequest(e)) {
            return CompletableFuture.failedFuture(e);
        }
        return inquiry().handle((i, inquiryError) -> {
            if (i == null || i.peripheralQualifier() == 0 && i.deviceType() == StandardInquiry.TYPE_DIRECT_ACCESS) {
                throw e instanceof RuntimeException r ? r : new IscsiException(IscsiError.GENERIC, e.toString(), e);
            }
            String what = i.peripheralQualifier() != 0
                    ? String.format("%s: no logical unit is connected there (peripheral qualifier %d)", runner.where(),
                            i.peripheralQualifier())
                    : String.format("%s is not a block device: it is a %s (peripheral device type 0x%02X)", runner.where(),
                            i.deviceTypeName(), i.deviceType());
            throw new IscsiException(IscsiError.INVAL, what + ", and " + e.getMessage(), e);
        });
    }

    @Override
    public CompletionStage<Void> testUnitReady() {
        return runner.run(ScsiTask.noData(lun, PrimaryCdbs.testUnitReady()), NOTHING);
    }

    @Override
    public CompletionStage<StandardInquiry> inquiry() {
        return runner.fetchOnce(lun, PrimaryCdbs.inquiry(InquiryParser.ALLOCATION_LENGTH), InquiryParser.ALLOCATION_LENGTH,
                InquiryParser::parse).thenApply(i -> standardInquiry = i);
    }

    private <T> CompletableFuture<T> vpd(int page, Function<byte[], T> parse) {
        return guard(() -> runner.fetch(lun, a -> PrimaryCdbs.inquiryVpd(page, a), VpdParser.ALLOCATION_LENGTH, 0xFFFF,
                VpdParser::totalLength, parse));
    }

    @Override
    public CompletionStage<List<Integer>> supportedVpdPages() {
        return vpd(VpdParser.SUPPORTED_PAGES, VpdParser::supportedPages);
    }

    @Override
    public CompletionStage<byte[]> vpdPage(int pageCode) {
        return vpd(pageCode, d -> d);
    }

    @Override
    public CompletionStage<String> unitSerialNumber() {
        return vpd(VpdParser.UNIT_SERIAL_NUMBER, VpdParser::unitSerialNumber);
    }

    @Override
    public CompletionStage<List<DeviceIdentifier>> deviceIdentifiers() {
        return vpd(VpdParser.DEVICE_IDENTIFICATION, VpdParser::deviceIdentifiers);
    }

    @Override
    public CompletionStage<BlockLimits> blockLimits() {
        return vpd(VpdParser.BLOCK_LIMITS, VpdParser::blockLimits)
                .exceptionallyCompose(e -> isIllegalRequest(e) ? CompletableFuture.completedFuture(BlockLimits.NONE)
                        : CompletableFuture.failedFuture(CommandRunner.unwrap(e)))
                .thenApply(l -> limits = l);
    }

    @Override
    public CompletionStage<LogicalBlockProvisioning> logicalBlockProvisioning() {
        return vpd(VpdParser.LOGICAL_BLOCK_PROVISIONING, VpdParser::logicalBlockProvisioning);
    }

    @Override
    public CompletionStage<Void> unmap(List<UnmapRange> ranges) {
        if (ranges.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        BlockLimits l = limits;
        List<List<UnmapRange>> commands;
        try {
            commands = UnmapPlanner.plan(ranges, l.maxUnmapLbaCount(), l.maxUnmapDescriptorCount(), MAX_COMMANDS_PER_CALL);
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        Join join = new Join(commands.size());
        for (List<UnmapRange> c : commands) {
            byte[] parameters = UnmapParameters.of(c);
            join.add(runner.run(ScsiTask.write(lun, BlockCdbs.unmap(parameters.length, false), ByteBuffer.wrap(parameters)),
                    NOTHING));
        }
        return join.future;
    }

    @Override
    public CompletionStage<Void> writeSame(long lba, long blocks, ByteBuffer block, boolean unmap) {
        int bs = blockSize();
        if (block.remaining() != bs || blocks < 1 || lba < 0 || lba > Long.MAX_VALUE - blocks) {
            return invalid("WRITE SAME of " + blocks + " blocks at LBA " + lba + " from " + block.remaining() + " bytes: "
                    + (block.remaining() != bs ? "the data must be one " + bs + "-byte block" : "no such range"));
        }
        long max = limits.maxWriteSameLength() > 0 ? Math.min(limits.maxWriteSameLength(), BlockCdbs.MAX_BLOCKS_16)
                : BlockCdbs.MAX_BLOCKS_16;
        long parts = (blocks + max - 1) / max;
        if (parts > MAX_COMMANDS_PER_CALL) {
            return invalid("WRITE SAME of " + blocks + " blocks would take " + parts + " commands of at most " + max
                    + " blocks (the Block Limits page's maximum), more than " + MAX_COMMANDS_PER_CALL);
        }
        Join join = new Join((int) parts);
        for (long done = 0; done < blocks; done += max) {
            long first = lba + done;
            long n = Math.min(max, blocks - done);
            join.add(guard(() -> runner.run(ScsiTask.write(lun, BlockCdbs.writeSame16(first, n, unmap), block.slice()),
                    NOTHING)));
        }
        return join.future;
    }

    @Override
    public CompletionStage<List<LbaStatus>> getLbaStatus(long lba, int maxDescriptors) {
        return guard(() -> {
            int allocation = LbaStatusParser.allocationLength(maxDescriptors);
            return runner.fetchOnce(lun, BlockCdbs.getLbaStatus(lba, allocation), allocation, LbaStatusParser::parse);
        });
    }

    @Override
    public CompletionStage<Void> compareAndWrite(long lba, ByteBuffer expected, ByteBuffer replacement) {
        int bs = blockSize();
        int length = expected.remaining();
        long max = limits.maxCompareAndWriteLength() > 0 ? limits.maxCompareAndWriteLength() : 0xFF;
        if (length != replacement.remaining() || length % bs != 0 || length == 0 || length / bs > max) {
            return invalid("COMPARE AND WRITE at LBA " + lba + " of " + length + " and " + replacement.remaining()
                    + " bytes: both must be the same whole number of " + bs + "-byte blocks, 1 to " + max);
        }
        ByteBuffer both = ByteBuffer.allocate(2 * length).put(expected.duplicate()).put(replacement.duplicate()).flip();
        return guard(() -> runner.run(ScsiTask.write(lun, BlockCdbs.compareAndWrite(lba, length / bs, false), both),
                NOTHING));
    }

    @Override
    public CompletionStage<ModeSenseData> modeSense(int pageCode, int subpageCode) {
        return guard(() -> runner.fetch(lun,
                a -> PrimaryCdbs.modeSense10(false, false, PrimaryCdbs.PC_CURRENT, pageCode, subpageCode, a),
                ModeSenseParser.ALLOCATION_LENGTH_10, 0xFFFF, ModeSenseParser::totalLength10, ModeSenseParser::parse10))
                .exceptionallyCompose(e -> CommandRunner.isInvalidOpcode(e)
                        ? runner.fetchOnce(lun, PrimaryCdbs.modeSense6(false, PrimaryCdbs.PC_CURRENT, pageCode, subpageCode,
                                ModeSenseParser.ALLOCATION_LENGTH_6), ModeSenseParser.ALLOCATION_LENGTH_6, ModeSenseParser::parse6)
                        : CompletableFuture.failedFuture(CommandRunner.unwrap(e)));
    }

    @Override
    public CompletionStage<PrKeys> readReservationKeys() {
        return runner.fetch(lun, a -> PrimaryCdbs.persistentReserveIn(PrimaryCdbs.PR_IN_READ_KEYS, a),
                PersistentReserveParser.READ_KEYS_ALLOCATION_LENGTH, 0xFFFF, PersistentReserveParser::totalLength,
                PersistentReserveParser::readKeys);
    }

    @Override
    public CompletionStage<Optional<PersistentReservation>> readReservation() {
        int length = PersistentReserveParser.READ_RESERVATION_ALLOCATION_LENGTH;
        return runner.fetchOnce(lun, PrimaryCdbs.persistentReserveIn(PrimaryCdbs.PR_IN_READ_RESERVATION, length), length,
                PersistentReserveParser::readReservation);
    }

    @Override
    public CompletionStage<Void> persistentReserveOut(PrOut request) {
        byte[] parameters = PrimaryCdbs.persistentReserveOutParameters(request);
        return runner.run(ScsiTask.write(lun, PrimaryCdbs.persistentReserveOut(request), ByteBuffer.wrap(parameters)),
                NOTHING);
    }

    @Override
    public void addUnitAttentionListener(UnitAttentionListener listener) {
        unitAttentions.add(listener);
    }

    @Override
    public void removeUnitAttentionListener(UnitAttentionListener listener) {
        unitAttentions.remove(listener);
    }

    /** The session that owns unit attentions reported one for this LU (see the class comment). */
    void sessionReported(Sense sense) {
        unitAttentions.reported(sense);
    }

    /** Turns an argument error thrown while building a command into a failed stage that names the LU. */
    private <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> command) {
        try {
            return command.get();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.INVAL, runner.where() + ": " + e.getMessage(), e));
        }
    }

    private <T> CompletableFuture<T> invalid(String message) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.INVAL, runner.where() + ": " + message));
    }

    @Override
    public String toString() {
        Capacity c = capacity;
        return "ScsiBlockDevice[" + runner.where() + (c == null ? "" : ", " + c.blockCount() + " x " + c.blockSize()) + "]";
    }
}

package org.kiscsi.scsi;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.CheckConditionException;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiStatusException;
import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.scsi.Sense;
import org.kiscsi.api.scsi.SenseKey;

/**
 * Sends commands through a {@link ScsiTaskExecutor} and turns results into values or exceptions.
 *
 * <p>Unit attention policy: a CHECK CONDITION with sense key UNIT ATTENTION means the target did not
 * run the command (SAM-5), so the command is sent again, unchanged, with its buffers reset to where
 * they started, up to {@code unitAttentionRetries} times; the sink hears of each one first. Past that,
 * the CHECK CONDITION goes to the caller. An executor that {@linkplain ScsiTaskExecutor#retriesUnitAttentions
 * retries unit attentions itself} (kiscsi's sessions) owns them: {@link #over} then makes a runner that
 * neither retries nor tells the sink, so retries never stack. BUSY, TASK SET FULL and the like are not
 * retried here: they reach the caller as {@link ScsiStatusException} (the session engine owns queueing
 * and timing).
 */
final class CommandRunner {
    /** Maps a GOOD result; may throw IllegalArgumentException/IllegalStateException, reported with context. */
    @FunctionalInterface
    interface ResultMapper<T> {
        T map(ScsiResult result);
    }

    /** For READ/WRITE: any residual means the target moved another amount than the CDB asked. */
    static final ResultMapper<Void> FULL_TRANSFER = r -> {
        if (r.residual() != 0 && r.residualKind() != ScsiResult.Residual.NONE) {
            throw new IllegalStateException("target reported a residual " + r.residualKind().name().toLowerCase()
                    + " of " + r.residual() + " bytes");
        }
        return null;
    };

    static final ResultMapper<Void> NOTHING = r -> null;

    private final ScsiTaskExecutor executor;
    private final String where;
    private final int unitAttentionRetries;
    private final UnitAttentionSink sink;

    CommandRunner(ScsiTaskExecutor executor, String where, int unitAttentionRetries, UnitAttentionSink sink) {
        this.executor = executor;
        this.where = where;
        this.unitAttentionRetries = unitAttentionRetries;
        this.sink = sink;
    }

    /**
     * The runner for {@code executor}: it retries unit attentions ({@code options}) and tells
     * {@code sink} of them only where the executor does not own them.
     */
    static CommandRunner over(ScsiTaskExecutor executor, String where, BlockDeviceOptions options, UnitAttentionSink sink) {
        return executor.retriesUnitAttentions() ? new CommandRunner(executor, where, 0, UnitAttentionSink.NONE)
                : new CommandRunner(executor, where, options.unitAttentionRetries(), sink);
    }

    String where() {
        return where;
    }

    /** Runs {@code task}; GOOD maps through {@code mapper}, other statuses fail the stage. */
    <T> CompletableFuture<T> run(ScsiTask task, ResultMapper<T> mapper) {
        Attempt<T> a = new Attempt<>(task, mapper, true);
        a.send();
        return a.future;
    }

    /** Runs {@code task} and completes with its result whatever the status (unit attentions retried first). */
    CompletableFuture<ScsiResult> runRaw(ScsiTask task) {
        Attempt<ScsiResult> a = new Attempt<>(task, r -> r, false);
        a.send();
        return a.future;
    }

    /**
     * A data-in command whose reply says its own full length: asks with {@code firstAllocation} bytes,
     * and once more with the full length (at most {@code maxAllocation}) when the reply was cut off.
     */
    <T> CompletableFuture<T> fetch(long lun, IntFunction<byte[]> cdbForAllocation, int firstAllocation,
            int maxAllocation, ToLongFunction<byte[]> totalLength, Function<byte[], T> parse) {
        byte[] firstCdb = cdbForAllocation.apply(firstAllocation);
        return fetchOnce(lun, firstCdb, firstAllocation).thenCompose(data -> {
            long total = mapped(firstCdb, () -> totalLength.applyAsLong(data));
            if (total > data.length && data.length >= firstAllocation && firstAllocation < maxAllocation) {
                int again = (int) Math.min(total, maxAllocation);
                byte[] cdb = cdbForAllocation.apply(again);
                return fetchOnce(lun, cdb, again).thenApply(d -> mapped(cdb, () -> parse.apply(d)));
            }
            return CompletableFuture.completedFuture(mapped(firstCdb, () -> parse.apply(data)));
        });
    }

    /** A data-in command of {@code allocation} bytes; completes with the bytes received. */
    CompletableFuture<byte[]> fetchOnce(long lun, byte[] cdb, int allocation) {
        return fetchOnce(lun, cdb, allocation, d -> d);
    }

    /** A data-in command of {@code allocation} bytes; completes with what {@code parse} makes of the bytes received. */
    <T> CompletableFuture<T> fetchOnce(long lun, byte[] cdb, int allocation, Function<byte[], T> parse) {
        byte[] buf = new byte[allocation];
        return run(ScsiTask.read(lun, cdb, ByteBuffer.wrap(buf)),
                r -> parse.apply(Arrays.copyOf(buf, Math.max(0, Math.min(r.bytesIn(), allocation)))));
    }

    /** The context of messages about {@code cdb}: "session 3 LUN 1: READ(10) LBA 0x0, 8 blocks". */
    String context(byte[] cdb) {
        return where + ": " + CdbDescriber.describe(cdb);
    }

    private <T> T mapped(byte[] cdb, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IscsiException(IscsiError.GENERIC, context(cdb) + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code t} is a CHECK CONDITION with ILLEGAL REQUEST, i.e. "not supported" for optional commands. */
    static boolean isIllegalRequest(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof CheckConditionException cc && cc.sense().key() == SenseKey.ILLEGAL_REQUEST;
    }

    /** Whether {@code t} is a CHECK CONDITION with INVALID COMMAND OPERATION CODE (20/00). */
    static boolean isInvalidOpcode(Throwable t) {
        return isIllegalRequest(t) && ((CheckConditionException) unwrap(t)).sense().is(0x20, 0x00);
    }

    /** The exception inside a stage failure. */
    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** One command and its retries; also the callback of each try, so a command costs one object here. */
    private final class Attempt<T> implements BiConsumer<ScsiResult, Throwable> {
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final ScsiTask first;
        private final ResultMapper<T> mapper;
        private final boolean checkStatus;
        private final int inPosition;
        private final int inLimit;
        private final int outPosition;
        private final int outLimit;
        private int tries;

        Attempt(ScsiTask task, ResultMapper<T> mapper, boolean checkStatus) {
            this.first = task;
            this.mapper = mapper;
            this.checkStatus = checkStatus;
            this.inPosition = task.dataIn() == null ? 0 : task.dataIn().position();
            this.inLimit = task.dataIn() == null ? 0 : task.dataIn().limit();
            this.outPosition = task.dataOut() == null ? 0 : task.dataOut().position();
            this.outLimit = task.dataOut() == null ? 0 : task.dataOut().limit();
        }

        void send() {
            ScsiTask task = tries == 0 ? first : fresh();
            CompletionStage<ScsiResult> stage;
            try {
                stage = executor.execute(task);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            stage.whenComplete(this);
        }

        @Override
        public void accept(ScsiResult r, Throwable error) {
            if (error != null) {
                fail(unwrap(error));
                return;
            }
            if (r.status() == ScsiResult.CHECK_CONDITION) {
                Optional<Sense> sense = Sense.decode(r.sense());
                if (sense.isPresent() && sense.get().isUnitAttention()) {
                    sink.unitAttention(first, sense.get());
                    if (tries < unitAttentionRetries) {
                        tries++;
                        send();
                        return;
                    }
                }
                if (checkStatus) {
                    future.completeExceptionally(sense.<IscsiException>map(
                            s -> new CheckConditionException(context(first.cdb()), s, opcode(), first.lun()))
                            .orElseGet(() -> new ScsiStatusException(context(first.cdb()) + " (sense data "
                                    + hex(r.sense()) + " not decodable)", r.status(), opcode(), first.lun())));
                    return;
                }
            } else if (checkStatus && !r.isGood()) {
                future.completeExceptionally(new ScsiStatusException(context(first.cdb()), r.status(), opcode(), first.lun()));
                return;
            }
            T value;
            try {
                value = mapper.map(r);
            } catch (IllegalArgumentException | IllegalStateException e) {
                future.completeExceptionally(new IscsiException(IscsiError.GENERIC, context(first.cdb()) + ": " + e.getMessage(), e));
                return;
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return;
            }
            future.complete(value);
        }

        private void fail(Throwable e) {
            if (e instanceof IscsiException) {
                future.completeExceptionally(e);
            } else {
                future.completeExceptionally(new IscsiException(IscsiError.INTERNAL,
                        context(first.cdb()) + ": the SCSI executor failed: " + e, e));
            }
        }

        private int opcode() {
            return first.cdb()[0] & 0xFF;
        }

        /** The same command, with buffers as they were before the first try. */
        private ScsiTask fresh() {
            return new ScsiTask(first.lun(), first.cdb(), first.direction(), reset(first.dataOut(), outPosition, outLimit),
                    reset(first.dataIn(), inPosition, inLimit), first.attribute(), first.repeatable());
        }

        private ByteBuffer reset(ByteBuffer b, int position, int limit) {
            return b == null ? null : b.duplicate().clear().limit(limit).position(position);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 32); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.length() == 0 ? "(none)" : s.toString();
    }
}

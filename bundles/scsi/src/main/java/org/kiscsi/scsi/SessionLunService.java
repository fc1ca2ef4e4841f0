package org.kiscsi.scsi;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.Capacity;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.SessionManager;

/**
 * The {@link LunService} over a {@link SessionManager}: each call takes the session's
 * {@link SessionManager#executor executor} and speaks SCSI through it.
 *
 * <p>Unit attentions belong to the session (kiscsi's engine retries them and raises
 * {@link org.kiscsi.api.session.SessionListener#rescanNeeded}): this service does not retry on top of
 * an executor that {@linkplain ScsiTaskExecutor#retriesUnitAttentions says it does}, and passes each
 * rescan the session raises to the devices it opened on that session and LUN, which re-read their
 * capacity after CAPACITY DATA HAS CHANGED and tell their {@link org.kiscsi.api.scsi.UnitAttentionListener}s.
 * It listens to the session manager from the first device it opens until {@link #close()}.
 */
public final class SessionLunService implements LunService, AutoCloseable {
    /** REPORT LUNS data kiscsi accepts at most: 131071 LUNs. */
    static final int MAX_REPORT_LUNS_LENGTH = 1 << 20;

    private final SessionManager sessions;
    private final Supplier<BlockDeviceOptions> options;
    private final OpenDevices devices = new OpenDevices();
    private boolean listening;
    private boolean closed;

    public SessionLunService(SessionManager sessions, BlockDeviceOptions options) {
        this(sessions, constant(Objects.requireNonNull(options, "options")));
    }

    /** A service whose devices open with the options {@code options} gives at the time (configuration may change). */
    public SessionLunService(SessionManager sessions, Supplier<BlockDeviceOptions> options) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.options = Objects.requireNonNull(options, "options");
    }

    private static Supplier<BlockDeviceOptions> constant(BlockDeviceOptions o) {
        return () -> o;
    }

    /** The session manager this service speaks through. */
    public SessionManager sessions() {
        return sessions;
    }

    @Override
    public CompletionStage<List<Long>> reportLuns(long sid) {
        return withExecutor(sid, e -> runner(e, where(sid)).fetch(0,
                a -> PrimaryCdbs.reportLuns(PrimaryCdbs.SELECT_REPORT_LOGICAL_UNITS, a), ReportLunsParser.ALLOCATION_LENGTH,
                MAX_REPORT_LUNS_LENGTH, ReportLunsParser::totalLength, ReportLunsParser::parse));
    }

    @Override
    public CompletionStage<BlockDevice> open(long sid, long lun) {
        return withExecutor(sid, e -> ScsiBlockDevice.open(e, lun, where(sid) + " LUN " + Luns.toString(lun), options.get())
                .thenApply(d -> {
                    track(sid, d);
                    return (BlockDevice) d;
                }));
    }

    @Override
    public CompletionStage<StandardInquiry> inquiry(long sid, long lun) {
        return withExecutor(sid, e -> runner(e, where(sid) + " LUN " + Luns.toString(lun)).fetchOnce(lun,
                PrimaryCdbs.inquiry(InquiryParser.ALLOCATION_LENGTH), InquiryParser.ALLOCATION_LENGTH, InquiryParser::parse));
    }

    @Override
    public CompletionStage<Capacity> capacity(long sid, long lun) {
        return withExecutor(sid, e -> ScsiBlockDevice.readCapacity(runner(e, where(sid) + " LUN " + Luns.toString(lun)), lun));
    }

    /** Stops listening to the session manager: devices opened so far hear of no more rescans. */
    @Override
    public synchronized void close() {
        closed = true;
        if (listening) {
            listening = false;
            sessions.removeListener(devices);
        }
    }

    /** How many devices this service opened on {@code sid} are still in use. */
    int openDevices(long sid) {
        return devices.count(sid);
    }

    private void track(long sid, ScsiBlockDevice d) {
        devices.add(sid, d);
        synchronized (this) {
            if (!listening && !closed) {
                listening = true;
                sessions.addListener(devices);
            }
        }
    }

    private CommandRunner runner(ScsiTaskExecutor e, String where) {
        return CommandRunner.over(e, where, options.get(), UnitAttentionSink.NONE);
    }

    /** "session 3 (127.0.0.1:3260,1 iqn.2026-11.test:disk)", or just "session 3" once it is gone. */
    private String where(long sid) {
        return "session " + sid + sessions.session(sid).map(s -> " (" + s.node() + ")").orElse("");
    }

    private <T> CompletionStage<T> withExecutor(long sid, Function<ScsiTaskExecutor, CompletionStage<T>> call) {
        ScsiTaskExecutor executor;
        try {
            executor = sessions.executor(sid);
        } catch (IscsiException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (executor == null) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.SESS_NOT_FOUND,
                    where(sid) + ": no SCSI command path (not logged in?)"));
        }
        return call.apply(executor);
    }
}

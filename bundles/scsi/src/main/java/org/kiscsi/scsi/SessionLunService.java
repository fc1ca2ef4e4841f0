package org.kiscsi.scsi;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.scsi.BlockDevice;
import org.kiscsi.api.scsi.LunService;
import org.kiscsi.api.scsi.ScsiTaskExecutor;
import org.kiscsi.api.scsi.StandardInquiry;
import org.kiscsi.api.session.SessionManager;

/**
 * The {@link LunService} over a {@link SessionManager}: each call takes the session's
 * {@link SessionManager#executor executor} and speaks SCSI through it. Unit attentions on REPORT LUNS
 * and INQUIRY are retried as {@link ScsiBlockDevice} does; the session engine, not this service, raises
 * {@link org.kiscsi.api.session.SessionListener#rescanNeeded}.
 */
public final class SessionLunService implements LunService {
    /** REPORT LUNS data kiscsi accepts at most: 131071 LUNs. */
    static final int MAX_REPORT_LUNS_LENGTH = 1 << 20;

    private final SessionManager sessions;
    private final BlockDeviceOptions options;

    public SessionLunService(SessionManager sessions, BlockDeviceOptions options) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public CompletionStage<List<Long>> reportLuns(long sid) {
        return withExecutor(sid, e -> runner(e, where(sid)).fetch(0,
                a -> PrimaryCdbs.reportLuns(PrimaryCdbs.SELECT_REPORT_LOGICAL_UNITS, a), ReportLunsParser.ALLOCATION_LENGTH,
                MAX_REPORT_LUNS_LENGTH, ReportLunsParser::totalLength, ReportLunsParser::parse));
    }

    @Override
    public CompletionStage<BlockDevice> open(long sid, long lun) {
        return withExecutor(sid, e -> ScsiBlockDevice.open(e, lun, where(sid) + " LUN " + Luns.toString(lun), options)
                .thenApply(d -> (BlockDevice) d));
    }

    @Override
    public CompletionStage<StandardInquiry> inquiry(long sid, long lun) {
        return withExecutor(sid, e -> runner(e, where(sid) + " LUN " + Luns.toString(lun)).fetchOnce(lun,
                PrimaryCdbs.inquiry(InquiryParser.ALLOCATION_LENGTH), InquiryParser.ALLOCATION_LENGTH, InquiryParser::parse));
    }

    private CommandRunner runner(ScsiTaskExecutor e, String where) {
        return new CommandRunner(e, where, options.unitAttentionRetries(), UnitAttentionSink.NONE);
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

package org.kiscsi.discovery.sendtargets;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.DiscoveryRecord;
import org.kiscsi.api.node.DiscoveryType;
import org.kiscsi.api.session.DiscoverySession;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.discovery.sendtargets.internal.SendTargetsAnswer;
import org.kiscsi.spi.discovery.DiscoveredTarget;
import org.kiscsi.spi.discovery.DiscoveryContext;
import org.kiscsi.spi.discovery.DiscoveryProvider;

/**
 * SendTargets discovery (RFC 7143 section 13.11 and appendix C): logs in to the discovery record's
 * portal with a discovery session (SessionType=Discovery; {@code discovery.sendtargets.auth.*} for
 * CHAP, {@code discovery.sendtargets.timeo.login_timeout}, {@code auth_timeout} and
 * {@code active_timeout} for its waits, all acted on by the session engine), sends
 * {@code SendTargets=All}, follows the answer over as many Text PDUs as the target sends, logs out,
 * and returns each target with its portals: several per target, IPv6 literals (in brackets on the
 * wire), host names (kept as written, not resolved, as open-iscsi records them), the TPGT of each;
 * a target listed without a TargetAddress is reached at the discovery portal itself (TPGT unknown,
 * as open-iscsi records it). An answer that is cut off, malformed or names an address that does
 * not parse fails the discovery with a message naming the portal and the offending text; nothing
 * of it is returned. The whole discovery is bounded by {@link DiscoveryContext#timeout()}.
 *
 * <p>Plain Java: {@code new SendTargetsDiscovery().discover(record, new DiscoveryContext(name, engine,
 * Duration.ofSeconds(60)))} with an {@code IscsiEngine} as the session manager (with a
 * {@code ChapAuthenticatorFactory} in its builder for discovery CHAP). Stateless: one instance
 * serves any number of discoveries at once. Stages complete on the engine's I/O threads (or a
 * timer's): callbacks must not block.
 */
public final class SendTargetsDiscovery implements DiscoveryProvider {
    /** How many times a dropped discovery connection is reopened (open-iscsi's key, default 5). */
    public static final String REOPEN_MAX = "discovery.sendtargets.reopen_max";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SendTargetsDiscovery.class);

    @Override
    public DiscoveryType type() {
        return DiscoveryType.SENDTARGETS;
    }

    @Override
    public CompletionStage<List<DiscoveredTarget>> discover(DiscoveryRecord record, DiscoveryContext context) {
        String where = "SendTargets discovery at " + record.address().hostPort();
        if (record.type() != DiscoveryType.SENDTARGETS) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.INVAL, where + ": the record is of type "
                    + record.type() + ", not sendtargets"));
        }
        SessionManager sessions = context.sessions();
        if (sessions == null) {
            return CompletableFuture.failedFuture(new IscsiException(IscsiError.TRANS_NOT_FOUND, where
                    + ": no session engine is running (feature kiscsi-engine)"));
        }
        int reopenMax;
        try {
            reopenMax = reopenMax(record);
        } catch (IscsiException e) {
            return CompletableFuture.failedFuture(new IscsiException(e.error(), where + ": " + e.getMessage(), e));
        }
        CompletableFuture<List<DiscoveredTarget>> result = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(context.timeout().toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                result.completeExceptionally(new IscsiException(IscsiError.TRANS_TIMEOUT, where + ": not finished within "
                        + context.timeout().toSeconds() + " s")));
        attempt(sessions, record, where, result, 0, reopenMax);
        return result;
    }

    /**
     * One discovery session. A failure of the connection itself (it could not be made, dropped, or a
     * PDU was not answered) opens a new one, at most {@code discovery.sendtargets.reopen_max} times and
     * within the discovery's overall bound; a refusal (authentication, a bad answer) does not.
     */
    private static void attempt(SessionManager sessions, DiscoveryRecord record, String where,
            CompletableFuture<List<DiscoveredTarget>> result, int reopened, int reopenMax) {
        CompletionStage<DiscoverySession> opening;
        try {
            opening = sessions.openDiscoverySession(record);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((session, failure) -> {
            if (failure != null) {
                retryOrFail(sessions, record, where, result, reopened, reopenMax, unwrap(failure));
                return;
            }
            if (result.isDone()) {
                session.closeAsync(); // timed out meanwhile
                return;
            }
            session.text(List.of("SendTargets=All")).whenComplete((answer, f) -> {
                session.closeAsync();
                if (f != null) {
                    retryOrFail(sessions, record, where, result, reopened, reopenMax, unwrap(f));
                    return;
                }
                try {
                    result.complete(SendTargetsAnswer.parse(answer, record.address()));
                } catch (IscsiException e) {
                    result.completeExceptionally(new IscsiException(e.error(), where + ": " + e.getMessage(), e));
                }
            });
        });
    }

    private static void retryOrFail(SessionManager sessions, DiscoveryRecord record, String where,
            CompletableFuture<List<DiscoveredTarget>> result, int reopened, int reopenMax, Throwable failure) {
        if (result.isDone()) {
            return;
        }
        if (reopened < reopenMax && connectionFailure(failure)) {
            LOG.info("{}: {}; opening a new discovery session ({} of {}, {})", where, failure.getMessage(),
                    reopened + 1, reopenMax, REOPEN_MAX);
            attempt(sessions, record, where, result, reopened + 1, reopenMax);
            return;
        }
        result.completeExceptionally(reopened == 0 || !(failure instanceof IscsiException) ? failure
                : new IscsiException(((IscsiException) failure).error(), failure.getMessage() + " (after "
                        + reopened + " reopen(s), " + REOPEN_MAX + " = " + reopenMax + ")", failure));
    }

    private static boolean connectionFailure(Throwable t) {
        if (!(t instanceof IscsiException)) {
            return false;
        }
        IscsiError e = ((IscsiException) t).error();
        return e == IscsiError.TRANS || e == IscsiError.TRANS_TIMEOUT || e == IscsiError.PDU_TIMEOUT
                || e == IscsiError.SESSION_NOT_CONNECTED;
    }

    /** {@code discovery.sendtargets.reopen_max}: 5 when unset, as open-iscsi; a negative or non-numeric value is refused. */
    static int reopenMax(DiscoveryRecord record) {
        String v = record.values().get(REOPEN_MAX, "5").trim();
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IscsiException(IscsiError.INVAL, REOPEN_MAX + " is '" + v + "', not a number of reopens (0 or more)");
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}

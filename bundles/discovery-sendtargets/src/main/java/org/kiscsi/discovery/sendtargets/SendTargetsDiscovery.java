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
        CompletableFuture<List<DiscoveredTarget>> result = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(context.timeout().toMillis(), TimeUnit.MILLISECONDS).execute(() ->
                result.completeExceptionally(new IscsiException(IscsiError.TRANS_TIMEOUT, where + ": not finished within "
                        + context.timeout().toSeconds() + " s")));
        CompletionStage<DiscoverySession> opening;
        try {
            opening = sessions.openDiscoverySession(record);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((session, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            if (result.isDone()) {
                session.closeAsync(); // timed out meanwhile
                return;
            }
            session.text(List.of("SendTargets=All")).whenComplete((answer, f) -> {
                session.closeAsync();
                if (f != null) {
                    result.completeExceptionally(unwrap(f));
                    return;
                }
                try {
                    result.complete(SendTargetsAnswer.parse(answer, record.address()));
                } catch (IscsiException e) {
                    result.completeExceptionally(new IscsiException(e.error(), where + ": " + e.getMessage(), e));
                }
            });
        });
        return result;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}

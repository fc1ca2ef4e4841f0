package org.kiscsi.mgmt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;

/**
 * The daemon's side of the management socket: answers every operation of the {@link Catalogue}
 * over an {@link IscsiManagement}, protocol 1's {@code login}, {@code logout} and
 * {@code session-list} through a version-1 adapter, and whatever the daemon registers by name
 * ({@code stop}, {@code version}). Unknown operations, operations newer than the request's version,
 * bad arguments and failures all become an error answer with iscsiadm's exit code.
 *
 * <p>A login's wait is derived from the records it acts on: before it starts, the endpoint asks
 * {@link IscsiManagement#loginWorstCase} and announces that plus {@code loginMargin} through the
 * {@link ProgressSink} (the client waits that long, the server's deadline is the same figure). A
 * discovery's likewise, from {@link IscsiManagement#discoveryWorstCase} (the discovery record's timeouts).
 */
public final class ManagementEndpoint implements MgmtHandler {
    public static final Duration DEFAULT_LOGIN_MARGIN = Duration.ofSeconds(5);

    private record Registered(int since, MgmtHandler handler) {
    }

    private final IscsiManagement service;
    private final Duration loginMargin;
    private final Map<String, Registered> handlers = new ConcurrentHashMap<>();

    public ManagementEndpoint(IscsiManagement service) {
        this(service, DEFAULT_LOGIN_MARGIN);
    }

    public ManagementEndpoint(IscsiManagement service, Duration loginMargin) {
        this.service = service;
        this.loginMargin = loginMargin;
        for (MgmtOperation<?, ?> op : Catalogue.all()) {
            handlers.put(op.name(), new Registered(op.since(), handlerOf(op)));
        }
        V1Adapter v1 = new V1Adapter(service, this::withLoginWait);
        handlers.put("login", new Registered(1, v1::login));
        handlers.put("logout", new Registered(1, v1::logout));
        handlers.put("session-list", new Registered(1, v1::sessionList));
    }

    /**
     * Registers an operation by name ({@code stop}, {@code version}): answered in every version from
     * {@code since} on. A name taken already is refused.
     */
    public ManagementEndpoint handle(String op, int since, MgmtHandler handler) {
        if (handlers.putIfAbsent(op, new Registered(since, handler)) != null) {
            throw new IllegalArgumentException("management operation " + op + " is registered already");
        }
        return this;
    }

    /** The operations answered, by name. */
    public Set<String> operations() {
        return new TreeSet<>(handlers.keySet());
    }

    @Override
    public CompletionStage<MgmtAnswer> answer(MgmtRequest request, ProgressSink progress) {
        if (request.version() < MgmtProtocol.MIN_VERSION || request.version() > MgmtProtocol.VERSION) {
            return done(versionRefusal(request.version()));
        }
        Registered r = handlers.get(request.op());
        if (r == null) {
            return done(MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), "unknown request '" + request.op() + "'"));
        }
        if (r.since() > request.version()) {
            return done(MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), request.op() + " needs management protocol "
                    + r.since() + "; the request is in version " + request.version()));
        }
        CompletionStage<MgmtAnswer> answer;
        try {
            answer = r.handler().answer(request, progress);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((a, t) -> a != null ? a : MgmtAnswer.of(errorFor(request.op(), t)));
    }

    /** The answer to a request in a version this daemon does not speak: in its highest version, with its range. */
    public static MgmtResponse versionRefusal(int version) {
        return MgmtResponse.of(MgmtProtocol.VERSION, IscsiError.INVALID_MGMT_REQ.code(), "management protocol version "
                + version + " is not supported (this daemon speaks " + MgmtProtocol.MIN_VERSION + ".." + MgmtProtocol.VERSION
                + ")", List.of(MgmtProtocol.rangeRow()));
    }

    /** A failure as an answer: IscsiExceptions keep their error class, bad arguments are 16, anything else internal. */
    public static MgmtResponse errorFor(String op, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof IscsiException e) {
            return MgmtResponse.error(e.error() == IscsiError.OK ? IscsiError.GENERIC.code() : e.error().code(), t.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            return MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), "invalid " + op + " request: " + t.getMessage());
        }
        return MgmtResponse.error(IscsiError.INTERNAL.code(), op + " failed: " + t);
    }

    private <A, R> MgmtHandler handlerOf(MgmtOperation<A, R> op) {
        return (request, progress) -> {
            A args = op.args.decode(new Fields.Reader(request.arguments(), op.name() + " arguments"));
            CompletionStage<R> result = op.worstCase == null ? op.invoke.apply(service, args)
                    : withWait(() -> op.worstCase.apply(service, args), op.waitNote, progress,
                            () -> op.invoke.apply(service, args));
            return result.thenApply(r -> MgmtAnswer.of(MgmtResponse.of(request.version(), 0, op.result.message(r),
                    op.result.encode(r))));
        };
    }

    /** Announces the login's worst case plus the margin, then logs in (also when the worst case is unknown). */
    <T> CompletionStage<T> withLoginWait(NodeSelector scope, ProgressSink progress, Supplier<CompletionStage<T>> login) {
        return withWait(() -> service.loginWorstCase(scope), "login", progress, login);
    }

    /** Announces {@code worstCase} plus the margin, then runs {@code body} (also when the worst case is unknown). */
    private <T> CompletionStage<T> withWait(Supplier<CompletionStage<Duration>> worstCase, String note, ProgressSink progress,
            Supplier<CompletionStage<T>> body) {
        CompletionStage<Duration> worst;
        try {
            worst = worstCase.get();
        } catch (RuntimeException e) {
            worst = CompletableFuture.failedFuture(e);
        }
        return worst.handle((w, t) -> {
            if (w != null) {
                Duration due = w.plus(loginMargin);
                progress.dueWithin(due.compareTo(MgmtProtocol.MAX_DUE) > 0 ? MgmtProtocol.MAX_DUE : due, note);
            }
            return w;
        }).thenCompose(w -> body.get());
    }

    private static CompletionStage<MgmtAnswer> done(MgmtResponse r) {
        return CompletableFuture.completedFuture(MgmtAnswer.of(r));
    }
}

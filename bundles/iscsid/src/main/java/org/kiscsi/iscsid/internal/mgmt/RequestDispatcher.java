package org.kiscsi.iscsid.internal.mgmt;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.mgmt.MgmtAnswer;
import org.kiscsi.mgmt.MgmtHandler;
import org.kiscsi.mgmt.MgmtOp;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.mgmt.ProgressSink;

/**
 * Routes a request to the handler of its operation (open-iscsi's {@code mgmt_ipc_functions[]}).
 * Unknown operations, versions this daemon does not speak and handler failures all become a clear
 * error answer; nothing a client sends can make the daemon drop the connection without one.
 */
public final class RequestDispatcher implements MgmtHandler {
    private final Map<MgmtOp, RequestHandler> handlers = new EnumMap<>(MgmtOp.class);

    public RequestDispatcher on(MgmtOp op, RequestHandler handler) {
        handlers.put(op, handler);
        return this;
    }

    @Override
    public CompletionStage<MgmtAnswer> answer(MgmtRequest request, ProgressSink progress) {
        return dispatch(request).thenApply(r -> new MgmtAnswer(r.response(), r.afterSent()));
    }

    public CompletionStage<Reply> dispatch(MgmtRequest request) {
        if (request.version() < MgmtProtocol.MIN_VERSION || request.version() > MgmtProtocol.VERSION) {
            return done(MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), "management protocol version "
                    + request.version() + " is not supported (this daemon speaks " + MgmtProtocol.MIN_VERSION + ".."
                    + MgmtProtocol.VERSION + ")"));
        }
        Optional<MgmtOp> op = MgmtOp.fromWire(request.op());
        RequestHandler h = op.map(handlers::get).orElse(null);
        if (h == null) {
            return done(MgmtResponse.error(IscsiError.INVALID_MGMT_REQ.code(), "unknown request '" + request.op() + "'"));
        }
        CompletionStage<Reply> answer;
        try {
            answer = h.handle(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((reply, failure) -> reply != null ? reply : Reply.of(errorFor(request.op(), failure)));
    }

    /** A failure as an answer: IscsiExceptions keep their error class, anything else is internal. */
    public static MgmtResponse errorFor(String op, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof IscsiException) {
            IscsiError e = ((IscsiException) t).error();
            return MgmtResponse.error(e == IscsiError.OK ? IscsiError.GENERIC.code() : e.code(), t.getMessage());
        }
        return MgmtResponse.error(IscsiError.INTERNAL.code(), op + " failed: " + t);
    }

    private static CompletionStage<Reply> done(MgmtResponse r) {
        return CompletableFuture.completedFuture(Reply.of(r));
    }
}

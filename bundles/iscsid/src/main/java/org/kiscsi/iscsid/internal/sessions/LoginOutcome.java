package org.kiscsi.iscsid.internal.sessions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.iscsid.internal.mgmt.RequestDispatcher;
import org.kiscsi.mgmt.MgmtProtocol;
import org.kiscsi.mgmt.MgmtResponse;

/**
 * How the login of one record of a login request ended: a session, all of the record's sessions
 * present already (SESS_EXISTS), or another failure.
 *
 * @param record the record logged in to
 * @param session the session the engine answered with, or null
 * @param failure why not, or null
 */
record LoginOutcome(NodeRecord record, SessionInfo session, Throwable failure) {
    /** Never fails: a login that throws or fails becomes an outcome with its failure. */
    static CompletableFuture<LoginOutcome> of(NodeRecord record, Supplier<CompletionStage<SessionInfo>> login) {
        CompletionStage<SessionInfo> stage;
        try {
            stage = login.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((s, t) -> new LoginOutcome(record, s, unwrap(t))).toCompletableFuture();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    boolean alreadyPresent() {
        return failure instanceof IscsiException e && e.error() == IscsiError.SESS_EXISTS;
    }

    /**
     * The answer to a login request: one row per record that logged in or was up already; status 0,
     * else the first failure other than SESS_EXISTS (its message), else SESS_EXISTS.
     */
    static MgmtResponse response(String op, List<LoginOutcome> outcomes) {
        List<Map<String, String>> rows = new ArrayList<>();
        MgmtResponse failed = null;
        List<String> present = new ArrayList<>();
        for (LoginOutcome o : outcomes) {
            if (o.session != null) {
                rows.add(SessionRequests.row(o.session));
            } else if (o.alreadyPresent()) {
                present.add(o.failure.getMessage());
                rows.add(presentRow(o.record, o.failure.getMessage()));
            } else if (failed == null) {
                failed = RequestDispatcher.errorFor(op, o.failure);
            }
        }
        if (failed != null) {
            return new MgmtResponse(MgmtProtocol.VERSION, failed.status(), failed.message(), rows);
        }
        if (!present.isEmpty()) {
            return new MgmtResponse(MgmtProtocol.VERSION, IscsiError.SESS_EXISTS.code(), present.size() == 1 ? present.get(0)
                    : present.size() + " of the records have all their sessions already", rows);
        }
        return MgmtResponse.ok("logged in to " + rows.size() + " portal(s)", rows);
    }

    private static Map<String, String> presentRow(NodeRecord r, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("target", r.target().value());
        m.put("portal", r.portal().toString());
        m.put("iface", r.iface());
        m.put("status", Integer.toString(IscsiError.SESS_EXISTS.code()));
        m.put("message", message);
        return m;
    }
}

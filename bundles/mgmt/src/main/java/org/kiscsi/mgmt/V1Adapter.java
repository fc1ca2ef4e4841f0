package org.kiscsi.mgmt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.IscsiManagement;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.session.SessionInfo;

/**
 * Protocol 1's operations {@code login}, {@code logout} and {@code session-list} over an
 * {@link IscsiManagement}, answered with exactly the rows a version-1 client reads (protocol 1's
 * {@code status} is the catalogue's: same row). Also answered in version 2, so a client that still
 * sends them (today's bin/iscsiadm modes) works against either daemon.
 */
final class V1Adapter {
    private final IscsiManagement service;
    private final LoginWait loginWait;

    /** Runs a login after announcing its wait (see {@link ManagementEndpoint}). */
    interface LoginWait {
        <T> CompletionStage<T> around(NodeSelector scope, ProgressSink progress,
                java.util.function.Supplier<CompletionStage<T>> login);
    }

    V1Adapter(IscsiManagement service, LoginWait loginWait) {
        this.service = service;
        this.loginWait = loginWait;
    }

    /**
     * Args {@code target} (required), {@code portal}, {@code iface}. One row per record that logged in
     * (its session) or whose sessions were all up (status 15, message); the answer's status is the
     * first other failure's, else 15 when a record was up already, else 0.
     */
    CompletionStage<MgmtAnswer> login(MgmtRequest r, ProgressSink progress) {
        if (r.arg("target") == null) {
            throw new IscsiException(IscsiError.INVAL, "login needs a target");
        }
        NodeSelector s = V1Rows.selector(r);
        return loginWait.around(s, progress, () -> service.login(s, true))
                .thenCompose(outcomes -> service.sessions()
                        .handle((sessions, t) -> loginAnswer(r.version(), outcomes, sessions == null ? List.of() : sessions)));
    }

    private static MgmtAnswer loginAnswer(int version, List<Outcome<NodeKey>> outcomes, List<SessionDetails> sessions) {
        Map<NodeKey, SessionInfo> byKey = new HashMap<>();
        for (SessionDetails d : sessions) {
            byKey.put(d.info().node(), d.info());
        }
        List<MgmtRow> rows = new ArrayList<>();
        Outcome<NodeKey> failed = null;
        List<String> present = new ArrayList<>();
        for (Outcome<NodeKey> o : outcomes) {
            if (o.isOk()) {
                SessionInfo s = byKey.get(o.subject());
                rows.add(MgmtRow.of(s != null ? V1Rows.session(s) : keyRow(o.subject())));
            } else if (o.status() == IscsiError.SESS_EXISTS) {
                present.add(o.message());
                MgmtRow p = MgmtRow.of(V1Rows.present(o.subject(), o.message()));
                rows.add(new MgmtRow(o.status().code(), o.message(), p.pairs()));
            } else if (failed == null) {
                failed = o;
            }
        }
        if (failed != null) {
            return MgmtAnswer.of(MgmtResponse.of(version, failed.status().code(), failed.message(), rows));
        }
        if (!present.isEmpty()) {
            return MgmtAnswer.of(MgmtResponse.of(version, IscsiError.SESS_EXISTS.code(), present.size() == 1 ? present.get(0)
                    : present.size() + " of the records have all their sessions already", rows));
        }
        return MgmtAnswer.of(MgmtResponse.of(version, 0, "logged in to " + rows.size() + " portal(s)", rows));
    }

    private static Map<String, String> keyRow(NodeKey k) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("target", k.target().value());
        m.put("portal", k.portal().toString());
        m.put("iface", k.iface());
        return m;
    }

    /** Args {@code sid}, or {@code target} and optionally {@code portal}: one session row each logged out. */
    CompletionStage<MgmtAnswer> logout(MgmtRequest r, ProgressSink progress) {
        String sid = r.arg("sid");
        CompletionStage<List<Outcome<SessionInfo>>> outs;
        if (sid != null) {
            long id;
            try {
                id = Long.parseLong(sid);
            } catch (NumberFormatException e) {
                throw new IscsiException(IscsiError.INVAL, "invalid sid '" + sid + "'");
            }
            outs = service.logoutSession(id).thenApply(List::of);
        } else if (r.arg("target") != null) {
            outs = service.logout(V1Rows.selector(r));
        } else {
            throw new IscsiException(IscsiError.SESS_NOT_FOUND, "no matching sessions");
        }
        return outs.thenApply(list -> {
            if (list.isEmpty()) {
                throw new IscsiException(IscsiError.SESS_NOT_FOUND, "no matching sessions");
            }
            List<MgmtRow> rows = new ArrayList<>();
            for (Outcome<SessionInfo> o : list) {
                if (!o.isOk()) {
                    throw new IscsiException(o.status(), o.message());
                }
                rows.add(MgmtRow.of(V1Rows.session(o.subject())));
            }
            return MgmtAnswer.of(MgmtResponse.of(r.version(), 0, "logged out of " + rows.size() + " session(s)", rows));
        });
    }

    /** One row per session, in sid order. */
    CompletionStage<MgmtAnswer> sessionList(MgmtRequest r, ProgressSink progress) {
        return service.sessions().thenApply(list -> {
            List<MgmtRow> rows = list.stream().map(d -> MgmtRow.of(V1Rows.session(d.info()))).toList();
            return MgmtAnswer.of(MgmtResponse.of(r.version(), 0, rows.size() + " session(s)", rows));
        });
    }

    static CompletionStage<MgmtAnswer> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}

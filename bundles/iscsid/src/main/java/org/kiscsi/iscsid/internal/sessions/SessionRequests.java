package org.kiscsi.iscsid.internal.sessions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionManager;
import org.kiscsi.api.session.SessionState;
import org.kiscsi.iscsid.internal.mgmt.Reply;
import org.kiscsi.mgmt.MgmtRequest;
import org.kiscsi.mgmt.MgmtResponse;
import org.kiscsi.spi.store.NodeStore;

/**
 * The session requests of the management socket: login, logout, session list. They need the
 * session engine; while none is installed they answer so, with iscsiadm's OP_NOT_SUPP.
 */
public final class SessionRequests {
    private final Supplier<Optional<SessionManager>> engine;
    private final Supplier<Optional<NodeStore>> store;

    public SessionRequests(Supplier<Optional<SessionManager>> engine, Supplier<Optional<NodeStore>> store) {
        this.engine = engine;
        this.store = store;
    }

    private SessionManager engine(String what) {
        return engine.get().orElseThrow(() -> new IscsiException(IscsiError.OP_NOT_SUPP,
                what + ": no session engine installed"));
    }

    /**
     * Args {@code target} (required), {@code portal}, {@code iface}: logs in to every matching record,
     * as open-iscsi does: a record whose sessions are all up already (the engine's SESS_EXISTS) does
     * not stop the others. One row per record: the session opened, or for a record already up its
     * {@code status} (15) and {@code message}. The answer's status is that of the first other
     * failure, else 15 when some record was up already, else 0.
     */
    public CompletionStage<Reply> login(MgmtRequest r) {
        SessionManager sm = engine("login");
        NodeStore s = store.get().orElseThrow(() -> new IscsiException(IscsiError.IDBM, "login: the node store is not available"));
        List<NodeRecord> records = matching(s, r);
        List<CompletableFuture<LoginOutcome>> logins = new ArrayList<>();
        for (NodeRecord rec : records) {
            logins.add(LoginOutcome.of(rec, () -> sm.login(rec)));
        }
        return CompletableFuture.allOf(logins.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<LoginOutcome> outcomes = logins.stream().map(CompletableFuture::join).toList();
            return Reply.of(LoginOutcome.response(r.op(), outcomes));
        });
    }

    private static List<NodeRecord> matching(NodeStore s, MgmtRequest r) {
        String target = r.arg("target");
        if (target == null) {
            throw new IscsiException(IscsiError.INVAL, "login needs a target");
        }
        Optional<Portal> portal = Optional.ofNullable(r.arg("portal")).map(Portal::parse);
        Optional<String> iface = Optional.ofNullable(r.arg("iface"));
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord rec : s.nodes(IscsiName.of(target))) {
            if (portal.isPresent() && !samePlace(portal.get(), rec.portal())) {
                continue;
            }
            if (iface.isPresent() && !iface.get().equals(rec.iface())) {
                continue;
            }
            out.add(rec);
        }
        if (out.isEmpty()) {
            throw new IscsiException(IscsiError.NO_OBJS_FOUND, "no records found for target " + target
                    + portal.map(p -> " portal " + p.hostPort()).orElse(""));
        }
        return out;
    }

    /** A portal given without a TPGT matches the record's whatever its TPGT. */
    private static boolean samePlace(Portal asked, Portal record) {
        return asked.hasTpgt() ? asked.equals(record) : asked.equals(record.withoutTpgt());
    }

    /** Args {@code sid}, or {@code target} and optionally {@code portal}: logs those sessions out. */
    public CompletionStage<Reply> logout(MgmtRequest r) {
        SessionManager sm = engine("logout");
        List<SessionInfo> victims = new ArrayList<>();
        String sid = r.arg("sid");
        Optional<Portal> portal = Optional.ofNullable(r.arg("portal")).map(Portal::parse);
        for (SessionInfo s : sm.sessions()) {
            if (s.state() == SessionState.CLOSED) {
                continue;
            }
            if (sid != null ? Long.toString(s.sid()).equals(sid)
                    : r.arg("target") != null && s.node().target().equals(IscsiName.of(r.arg("target")))
                            && portal.map(p -> samePlace(p, s.node().portal())).orElse(true)) {
                victims.add(s);
            }
        }
        if (victims.isEmpty()) {
            throw new IscsiException(IscsiError.SESS_NOT_FOUND, "no matching sessions");
        }
        List<CompletableFuture<Void>> outs = new ArrayList<>();
        for (SessionInfo s : victims) {
            outs.add(sm.logout(s.sid()).toCompletableFuture());
        }
        return CompletableFuture.allOf(outs.toArray(new CompletableFuture<?>[0])).thenApply(v -> Reply.of(
                MgmtResponse.ok("logged out of " + victims.size() + " session(s)", victims.stream().map(SessionRequests::row).toList())));
    }

    /** One row per session, in sid order. */
    public CompletionStage<Reply> list(MgmtRequest r) {
        List<Map<String, String>> rows = engine("session list").sessions().stream().map(SessionRequests::row).toList();
        return CompletableFuture.completedFuture(Reply.of(MgmtResponse.ok(rows.size() + " session(s)", rows)));
    }

    static Map<String, String> row(SessionInfo s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sid", Long.toString(s.sid()));
        m.put("target", s.node().target().value());
        m.put("portal", s.portal().toString()); // with the TPGT the target returned, as open-iscsi lists it
        m.put("iface", s.node().iface());
        m.put("transport", s.connections().isEmpty() ? "tcp" : s.connections().get(0).transport());
        m.put("type", s.type().keyValue());
        m.put("state", s.state().name());
        m.put("tsih", Integer.toString(s.tsih()));
        return m;
    }
}

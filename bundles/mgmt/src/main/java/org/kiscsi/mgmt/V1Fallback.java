package org.kiscsi.mgmt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.manage.NodeSelector;
import org.kiscsi.api.manage.Outcome;
import org.kiscsi.api.manage.SessionDetails;
import org.kiscsi.api.node.IfaceRecord;
import org.kiscsi.api.node.NodeKey;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.api.session.SessionInfo;

/**
 * The operations protocol 1 had, asked of a daemon that speaks only protocol 1 and read back as
 * typed values. Protocol 1 carries less: a session is its row ({@link V1Rows#sessionInfo}), with no
 * record, the iface by name only, host -1 and no LUNs; a login failure the daemon reported for the
 * request as a whole (not for a record) fails the whole stage.
 */
final class V1Fallback {
    private final MgmtClient client;

    V1Fallback(MgmtClient client) {
        this.client = client;
    }

    private MgmtResponse call(String op, Map<String, String> args) throws IOException {
        return client.call(new MgmtRequest(1, op, args));
    }

    private static IscsiException failure(MgmtResponse r) {
        return new IscsiException(IscsiError.ofCode(r.status()), r.message());
    }

    List<Outcome<NodeKey>> login(NodeSelector s, boolean wait) throws IOException {
        if (!wait) {
            throw new IscsiException(IscsiError.INVALID_MGMT_REQ, "the daemon at " + client.socket()
                    + " speaks management protocol 1..1; a login without waiting (-W) needs 2");
        }
        MgmtResponse r = call("login", args(s, "login"));
        List<Outcome<NodeKey>> out = new ArrayList<>();
        for (Map<String, String> row : r.rows()) {
            out.add(row.containsKey("status")
                    ? Outcome.failed(V1Rows.key(row), IscsiError.ofCode(Integer.parseInt(row.get("status"))), row.get("message"))
                    : Outcome.ok(V1Rows.key(row)));
        }
        if (!r.isOk() && r.status() != IscsiError.SESS_EXISTS.code()) {
            throw failure(r);
        }
        return out;
    }

    List<Outcome<SessionInfo>> logout(NodeSelector s) throws IOException {
        return logoutAnswer(call("logout", args(s, "logout")));
    }

    Outcome<SessionInfo> logoutSession(long sid) throws IOException {
        List<Outcome<SessionInfo>> out = logoutAnswer(call("logout", Map.of("sid", Long.toString(sid))));
        if (out.size() != 1) {
            throw new IscsiException(IscsiError.ISCSID_COMM, "the daemon at " + client.socket() + " answered a logout of sid "
                    + sid + " with " + out.size() + " sessions");
        }
        return out.get(0);
    }

    private static List<Outcome<SessionInfo>> logoutAnswer(MgmtResponse r) {
        if (!r.isOk()) {
            throw failure(r);
        }
        return r.rows().stream().map(row -> Outcome.ok(V1Rows.sessionInfo(row))).toList();
    }

    List<SessionDetails> sessions() throws IOException {
        MgmtResponse r = call("session-list", Map.of());
        if (!r.isOk()) {
            throw failure(r);
        }
        return r.rows().stream().map(row -> new SessionDetails(V1Rows.sessionInfo(row), java.util.Optional.empty(),
                new IfaceRecord(row.getOrDefault("iface", NodeKey.DEFAULT_IFACE), RecordValues.empty()), -1, List.of()))
                .toList();
    }

    SessionDetails session(long sid) throws IOException {
        return sessions().stream().filter(d -> d.info().sid() == sid).findFirst().orElseThrow(() ->
                new IscsiException(IscsiError.SESS_NOT_FOUND, "no session with sid " + sid));
    }

    private Map<String, String> args(NodeSelector s, String op) {
        try {
            return V1Rows.args(s, op);
        } catch (IllegalArgumentException e) {
            throw new IscsiException(IscsiError.INVALID_MGMT_REQ, "the daemon at " + client.socket()
                    + " speaks management protocol 1..1: " + e.getMessage());
        }
    }
}

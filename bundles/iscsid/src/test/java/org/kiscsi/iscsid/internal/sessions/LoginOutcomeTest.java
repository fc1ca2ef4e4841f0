package org.kiscsi.iscsid.internal.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.NodeRecord;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.mgmt.MgmtResponse;

class LoginOutcomeTest {
    private static final String EXISTS = "default: 1 session requested, but 1 already present.";

    private final FakeSessionManager engine = new FakeSessionManager();
    private final NodeRecord up = ResyncListTest.record("iqn.2001-04.com.example:up", "127.0.0.1:3260,1");
    private final NodeRecord down = ResyncListTest.record("iqn.2001-04.com.example:down", "127.0.0.1:3260,1");
    private final NodeRecord failing = ResyncListTest.record("iqn.2001-04.com.example:fail", "127.0.0.1:3260,1");

    private LoginOutcome login(NodeRecord r) {
        return LoginOutcome.of(r, () -> engine.login(r)).join();
    }

    @Test
    void allUpIsSessExistsWithTheEnginesMessage() {
        engine.login(up);
        MgmtResponse r = LoginOutcome.response("login", List.of(login(up)));
        assertEquals(IscsiError.SESS_EXISTS.code(), r.status());
        assertEquals(EXISTS, r.message());
        assertEquals(EXISTS, r.rows().get(0).get("message"));
    }

    @Test
    void theOthersAreLoggedInAndTheAnswerIsStillSessExists() {
        engine.login(up);
        MgmtResponse r = LoginOutcome.response("login", List.of(login(up), login(down)));
        assertEquals(15, r.status());
        assertEquals(2, r.rows().size());
        assertEquals(down.target().value(), r.rows().get(1).get("target"));
        assertEquals(2, engine.sessions().size());
    }

    @Test
    void anotherFailureWinsOverSessExists() {
        engine.login(up);
        MgmtResponse r = LoginOutcome.response("login", List.of(login(up), login(failing), login(down)));
        assertEquals(IscsiError.LOGIN.code(), r.status());
        assertEquals("login to 127.0.0.1:3260,1 refused", r.message());
        assertEquals(2, r.rows().size(), "the record up and the one logged in are still reported");
    }

    @Test
    void aLoginThatThrowsIsAFailedOutcome() {
        LoginOutcome o = LoginOutcome.of(down, () -> {
            throw new IscsiException(IscsiError.TRANS, "no transport");
        }).join();
        assertEquals(IscsiError.TRANS.code(), LoginOutcome.response("login", List.of(o)).status());
        LoginOutcome wrapped = LoginOutcome.of(down, () -> CompletableFuture.<SessionInfo>supplyAsync(() -> {
            throw new IscsiException(IscsiError.SESS_EXISTS, EXISTS);
        })).join();
        assertEquals(EXISTS, LoginOutcome.response("login", List.of(wrapped)).message(), "CompletionException unwrapped");
    }
}

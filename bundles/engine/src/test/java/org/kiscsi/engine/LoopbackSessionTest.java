package org.kiscsi.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.kiscsi.api.session.SessionInfo;
import org.kiscsi.api.session.SessionState;

/** Tests of one engine logged in to the test target over the loopback transport, a fresh pair per test. */
abstract class LoopbackSessionTest {
    LoopbackFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new LoopbackFixture();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** The session's state, CLOSED once it is gone from the engine. */
    SessionState state(long sid) {
        return f.engine.session(sid).map(SessionInfo::state).orElse(SessionState.CLOSED);
    }
}

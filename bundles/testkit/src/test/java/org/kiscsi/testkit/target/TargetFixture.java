package org.kiscsi.testkit.target;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.kiscsi.api.Portal;
import org.kiscsi.testkit.loopback.LoopbackTransport;

/** A test target with LUNs 0 and 1 served over a fresh loopback transport, closed after each test. */
abstract class TargetFixture {
    static final String IQN = "iqn.2024-01.org.kiscsi:knobs";
    protected TestTarget target;
    protected LoopbackTransport loopback;
    protected Portal portal;

    @BeforeEach
    void startTarget() throws IOException {
        target = TestTarget.start(IQN, 64).addLun(1, 64);
        loopback = new LoopbackTransport();
        portal = target.attach(loopback);
    }

    @AfterEach
    void stopTarget() throws IOException {
        target.close();
    }

    LoopbackInitiator loggedIn(long isid) throws Exception {
        LoopbackInitiator i = LoopbackInitiator.connect(loopback, portal, IQN);
        i.login(isid, 0, 1);
        return i;
    }

    /** Polls {@code condition} every 10 ms for up to {@code ms}. */
    static boolean eventually(long ms, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}

package org.kiscsi.itests;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.kiscsi.testkit.peers.TgtShow;
import org.kiscsi.testkit.peers.Tgtd;

/** The sessions (I_T nexuses) tgtd itself lists for a target: what the initiator's side is checked against. */
final class TgtdSessions {
    static final long TIMEOUT_S = 30;

    private TgtdSessions() {
    }

    static List<TgtShow.Nexus> of(Tgtd tgtd, String iqn) {
        return tgtd.show().stream().filter(t -> t.iqn().equals(iqn)).findFirst()
                .orElseThrow(() -> new AssertionError("tgtd (" + tgtd + ") has no target " + iqn)).nexuses();
    }

    /** Polls tgtd until the target's sessions satisfy {@code expected}; fails naming what was seen. */
    static List<TgtShow.Nexus> await(Tgtd tgtd, String iqn, String what, Predicate<List<TgtShow.Nexus>> expected)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        List<TgtShow.Nexus> seen = of(tgtd, iqn);
        while (!expected.test(seen) && System.nanoTime() < end) {
            Thread.sleep(250);
            seen = of(tgtd, iqn);
        }
        if (!expected.test(seen)) {
            throw new AssertionError("tgtd did not show " + what + " for " + iqn + " within " + TIMEOUT_S + " s; it lists " + seen
                    + " (log " + tgtd.logFile() + ")");
        }
        return seen;
    }

    /** Exactly one session, from {@code initiator}. */
    static TgtShow.Nexus awaitOne(Tgtd tgtd, String iqn, String initiator) throws InterruptedException {
        return await(tgtd, iqn, "one session from " + initiator,
                s -> s.size() == 1 && s.get(0).initiator().equals(initiator)).get(0);
    }

    static void awaitNone(Tgtd tgtd, String iqn) throws InterruptedException {
        await(tgtd, iqn, "no session", List::isEmpty);
    }
}

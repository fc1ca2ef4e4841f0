package org.kiscsi.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kiscsi.transport.tcp.TcpOptions;
import org.kiscsi.transport.tcp.TcpOptions.Moderation;

/**
 * The moderator's decisions follow what it is shown: simulated targets (a reply rate and replies
 * per wake-up for each pause) on a simulated clock, so nothing here depends on timing.
 */
class ModeratorTest {
    private static final TcpOptions ADAPTIVE = TcpOptions.DEFAULTS; // at most 30 µs pause from 16 due, 50 µs poll
    private static final TcpOptions FIXED = ADAPTIVE.withModeration(Moderation.FIXED);
    private static final TcpOptions OFF = ADAPTIVE.withModeration(Moderation.OFF);
    private static final int DUE = 32;

    /** A target as the I/O thread sees it, for each pause level. */
    private interface Target {
        /** Replies per second at this pause level. */
        double rate(int level);

        /** Replies one wake-up reads at this pause level. */
        int perWakeup(int level);

        /** The I/O thread's CPU per reply at this pause level: by default a part per reply and a part per wake-up. */
        default double cpuPerReply(int level) {
            return 1_000 + 5_000.0 / perWakeup(level);
        }
    }

    /** A slow target: its own rate whatever the pause, and a longer pause reads more replies per wake-up. */
    private static final Target SLOW = new Target() {
        public double rate(int level) {
            return 40_000;
        }

        public int perWakeup(int level) {
            return 1 << level;
        }
    };

    private long now = 1_000_000_000L;
    /** The simulated I/O thread's CPU time. */
    private long cpu = 0;
    private final Moderator.CpuClock cpuClock = () -> cpu;

    /** Feeds the moderator wake-ups of {@code target} for {@code millis} simulated milliseconds; returns how often it settled. */
    private int drive(Moderator m, Target target, int due, long millis) {
        long end = now + millis * 1_000_000L;
        int settled = 0;
        while (now < end) {
            int level = m.level();
            int replies = target.perWakeup(level);
            now += (long) (replies * 1e9 / target.rate(level));
            cpu += (long) (replies * target.cpuPerReply(level));
            if (m.observe(now, replies, due, ADAPTIVE.readCoalesceMinReplies(), cpuClock)) {
                settled++;
            }
        }
        return settled;
    }

    @Test
    void aTargetThatAnswersAsFastAsItIsAskedIsNotPausedFor() {
        // every pause costs replies: the target idles while the thread waits
        Target fast = new Target() {
            public double rate(int level) {
                return 100_000 * (1 - 0.08 * level);
            }

            public int perWakeup(int level) {
                return 2 + 3 * level;
            }
        };
        Moderator m = new Moderator();
        drive(m, fast, DUE, 320);
        assertTrue(m.settled());
        assertEquals(0, m.level());
        assertEquals(0, m.pauseNanos(ADAPTIVE, DUE));
    }

    @Test
    void aSlowTargetWithManyRepliesDueIsPausedForTheLongest() {
        // the rate is the target's own, whatever the pause; a longer pause reads more replies per wake-up
        Moderator m = new Moderator();
        assertEquals(0, m.pauseNanos(ADAPTIVE, DUE), "no pause before anything was measured");
        assertEquals(1, drive(m, SLOW, DUE, 480), "settled once, and said so once");
        assertTrue(m.settled());
        assertEquals(40_000, m.keptRate(), 1, "the rate at the level kept");
        assertEquals(Moderator.LEVELS - 1, m.level());
        assertEquals(ADAPTIVE.readCoalesceNanos(), m.pauseNanos(ADAPTIVE, DUE), "the configured pause is the longest");
        assertEquals(0, m.pauseNanos(ADAPTIVE, ADAPTIVE.readCoalesceMinReplies() - 1), "fewer due: no pause at any level");
        assertEquals(0, m.pauseNanos(ADAPTIVE.withReadCoalescing(0, 16), DUE), "0 turns it off");
        assertEquals(1_000_000, m.pauseNanos(ADAPTIVE.withReadCoalescing(1_000_000, 16), DUE), "bounded by the setting");
    }

    @Test
    void thePauseStopsAtTheLevelBeforeTheRateDrops() {
        Target middling = new Target() {
            public double rate(int level) {
                return level <= 1 ? 60_000 : 45_000;
            }

            public int perWakeup(int level) {
                return 1 + 2 * level;
            }
        };
        Moderator m = new Moderator();
        drive(m, middling, DUE, 480);
        assertTrue(m.settled());
        assertEquals(1, m.level());
        assertEquals(ADAPTIVE.readCoalesceNanos() / 4, m.pauseNanos(ADAPTIVE, DUE));
    }

    @Test
    void aPauseThatCostsMoreCpuIsNotKeptEvenWithFewerWakeUps() {
        // fewer wake-ups, but each pause is a timer of its own and costs more than it saves
        Target costly = new Target() {
            public double rate(int level) {
                return 50_000;
            }

            public int perWakeup(int level) {
                return 4 + level;
            }

            public double cpuPerReply(int level) {
                return 3_000 + 400 * level;
            }
        };
        Moderator m = new Moderator();
        drive(m, costly, DUE, 480);
        assertTrue(m.settled());
        assertEquals(0, m.level());
        assertTrue(m.costs().startsWith("3000 ns of I/O-thread CPU per reply"), m.costs());
    }

    @Test
    void aPauseThatSavesCpuIsKeptWhereWakeUpsStayTheSame() {
        // what a pause saves is CPU (larger reads and writes per reply), not only wake-ups
        Target batching = new Target() {
            public double rate(int level) {
                return 50_000;
            }

            public int perWakeup(int level) {
                return 4;
            }

            public double cpuPerReply(int level) {
                return 4_000 - 300 * level;
            }
        };
        Moderator m = new Moderator();
        drive(m, batching, DUE, 480);
        assertTrue(m.settled());
        assertEquals(Moderator.LEVELS - 1, m.level());
    }

    @Test
    void withoutThreadCpuTimeWakeUpsPerReplyAreTheCost() {
        Target same = new Target() {
            public double rate(int level) {
                return 50_000;
            }

            public int perWakeup(int level) {
                return level < 2 ? 4 : 2; // a longer pause, more wake-ups: costlier
            }
        };
        Moderator m = new Moderator();
        long end = now + 480_000_000L;
        while (now < end) {
            int replies = same.perWakeup(m.level());
            now += (long) (replies * 1e9 / same.rate(m.level()));
            m.observe(now, replies, DUE, ADAPTIVE.readCoalesceMinReplies());
        }
        assertTrue(m.settled());
        assertEquals(1, m.level());
        assertTrue(m.costs().contains("wake-ups per reply"), m.costs());
    }

    @Test
    void oneWindowOfAnotherRateDoesNotStartAMeasurementAgain() {
        Moderator m = new Moderator();
        drive(m, SLOW, DUE, 480);
        assertEquals(Moderator.LEVELS - 1, m.level());
        Target burst = new Target() {
            public double rate(int level) {
                return 80_000;
            }

            public int perWakeup(int level) {
                return 1 << level;
            }
        };
        drive(m, burst, DUE, 14); // about one window (1024 replies) at twice the rate
        drive(m, SLOW, DUE, 100);
        assertTrue(m.settled(), "one window of a doubled rate is noise, not a new workload");
        assertEquals(Moderator.LEVELS - 1, m.level());
        drive(m, burst, DUE, 14 * (Moderator.CHANGED_WINDOWS + 1));
        assertTrue(!m.settled() || m.keptRate() > 60_000, "windows in a row at another rate: measured again");
    }

    @Test
    void aSettledPauseIsMeasuredAgainWhenTheTargetChanges() {
        Moderator m = new Moderator();
        drive(m, SLOW, DUE, 480);
        assertEquals(Moderator.LEVELS - 1, m.level());
        // the target became fast: pausing now costs replies
        Target fast = new Target() {
            public double rate(int level) {
                return 120_000 * (1 - 0.1 * level);
            }

            public int perWakeup(int level) {
                return 2 + level;
            }
        };
        drive(m, fast, DUE, 480);
        assertEquals(0, m.level(), "measured again and settled without a pause");
    }

    @Test
    void aSettledPauseIsMeasuredAgainAfterItsHold() {
        Moderator m = new Moderator();
        drive(m, SLOW, DUE, 480);
        assertTrue(m.settled());
        boolean measuredAgain = false;
        long end = now + (Moderator.HOLD_WINDOWS + 5) * 50_000_000L; // windows of 1024 replies at 40 000 a second
        while (now < end && !measuredAgain) {
            drive(m, SLOW, DUE, 8);
            measuredAgain = !m.settled();
        }
        assertTrue(measuredAgain, "held for its windows, then measured again");
        assertEquals(0, m.level(), "from no pause");
    }

    @Test
    void passesWithFewRepliesDueDoNotCountTowardsTheMeasurement() {
        Moderator m = new Moderator();
        drive(m, SLOW, 4, 800);
        assertEquals(0, m.level(), "4 due: below the threshold, nothing measured");
        assertFalse(m.settled());
    }

    @Test
    void fixedAndOffIgnoreTheMeasurements() {
        Moderator m = new Moderator();
        assertEquals(30_000, m.pauseNanos(FIXED, 16));
        assertEquals(0, m.pauseNanos(FIXED, 15));
        assertEquals(0, m.pauseNanos(OFF, 128));
        assertEquals(50_000, m.pollNanos(FIXED, 1, 0));
        assertEquals(50_000, m.pollNanos(FIXED, 2, 8192));
        assertEquals(0, m.pollNanos(OFF, 1, 0));
        // replies come faster without the poll: the adaptive poll stops, the fixed one does not
        queueDepthOne(m, 18_000, 25_000, 200);
        assertEquals(0, m.pollNanos(ADAPTIVE, 1, 0));
        assertEquals(50_000, m.pollNanos(FIXED, 1, 0));
    }

    @Test
    void thePollsOnlyForOneOrTwoRepliesOfSmallExchanges() {
        Moderator m = new Moderator();
        for (TcpOptions o : new TcpOptions[] {ADAPTIVE, FIXED}) {
            assertEquals(0, m.pollNanos(o, 0, 4144), "idle: nothing due");
            assertEquals(0, m.pollNanos(o, 3, 2 * 4144), "three or more due: replies come often enough");
            assertEquals(0, m.pollNanos(o, 1, Moderator.POLL_MAX_RECENT_BYTES + 1), "while large data moves");
            assertEquals(0, m.pollNanos(o.withReadCoalescing(30_000, 2), 2, 0), "where the pause begins, the poll ends");
            assertEquals(0, m.pollNanos(o.withBusyPollNanos(0), 1, 0), "0 turns it off");
        }
        assertEquals(50_000, m.pollNanos(ADAPTIVE, 1, 0), "nothing measured yet: the longest");
    }

    @Test
    void theAdaptivePollLastsAsLongAsRepliesLatelyTook() {
        Moderator m = new Moderator();
        replyEvery(m, 20_000);
        assertEquals(30_000, m.pollNanos(ADAPTIVE, 1, 0), "half as long again as the interval");
        replyEvery(m, 40_000);
        assertEquals(50_000, m.pollNanos(ADAPTIVE, 1, 0), "never longer than the setting");
        replyEvery(m, 2_000);
        assertEquals(Moderator.POLL_MIN_NANOS, m.pollNanos(ADAPTIVE, 1, 0));
        replyEvery(m, 120_000);
        assertEquals(50_000, m.pollNanos(ADAPTIVE, 1, 0), "replies come later than the poll may last: all of it (the trial judges)");
        assertEquals(0, m.pollNanos(ADAPTIVE.withBusyPollNanos(0), 1, 0));
        assertEquals(180_000, m.pollNanos(ADAPTIVE.withBusyPollNanos(200_000), 1, 0), "a longer setting reaches them");
    }

    @Test
    void anIdleStretchCountsAsOneLongIntervalOnly() {
        Moderator m = new Moderator();
        replyEvery(m, 20_000);
        now += 60_000_000_000L; // a minute idle
        m.observe(now, 1, 1, 16);
        assertTrue(m.gapNanos() <= 20_000 + Moderator.MAX_GAP_NANOS / 8 + 1, "gap " + m.gapNanos());
        replyEvery(m, 20_000);
        assertEquals(30_000, m.pollNanos(ADAPTIVE, 1, 0), "back in a few replies");
    }

    /** Queue depth 1 for {@code millis}: one reply per wake-up, at {@code withPoll} replies a second while the poll runs, else {@code without}. */
    private void queueDepthOne(Moderator m, double withPoll, double without, long millis) {
        long end = now + millis * 1_000_000L;
        while (now < end) {
            boolean polls = m.pollNanos(ADAPTIVE, 1, 4096) > 0;
            now += (long) (1e9 / (polls ? withPoll : without));
            m.observe(now, 1, 1, ADAPTIVE.readCoalesceMinReplies(), cpuClock);
        }
    }

    @Test
    void theBusyPollIsKeptWhereRepliesComeFasterWithIt() {
        Moderator m = new Moderator();
        queueDepthOne(m, 30_000, 20_000, 200);
        assertTrue(m.pollNanos(ADAPTIVE, 1, 4096) > 0);
        assertTrue(m.pollDecision().startsWith("busy poll kept"), m.pollDecision());
    }

    @Test
    void theBusyPollIsDroppedWhereItSlowsTheRepliesAndTriedAgainLater() {
        // a spinning core the target needed: replies come slower with the poll
        Moderator m = new Moderator();
        queueDepthOne(m, 18_000, 25_000, 200);
        assertEquals(0, m.pollNanos(ADAPTIVE, 1, 4096));
        assertTrue(m.pollDecision().startsWith("busy poll dropped"), m.pollDecision());
        assertEquals(50_000, m.pollNanos(FIXED, 1, 4096), "fixed polls regardless");
        // held for its windows, then measured again with the poll: the machine is quiet now
        queueDepthOne(m, 30_000, 20_000, (PollTrial.HOLD_WINDOWS + 4) * PollTrial.WINDOW_NANOS / 1_000_000);
        assertTrue(m.pollNanos(ADAPTIVE, 1, 4096) > 0, m.pollDecision());
    }

    @Test
    void aPollThatGainsLessThanItsCostIsDropped() {
        Moderator m = new Moderator();
        queueDepthOne(m, 20_500, 20_000, 200); // 2.5 % faster: not worth a spinning core
        assertEquals(0, m.pollNanos(ADAPTIVE, 1, 4096));
    }

    /**
     * Enough replies, one per wake-up, {@code gap} apart for the moving average to settle there; after
     * an idle pass, so that no poll trial's window spans two calls (these tests are about the poll's length).
     */
    private void replyEvery(Moderator m, long gap) {
        m.observe(now, 0, 0, 16, cpuClock);
        for (int i = 0; i < 200; i++) {
            now += gap;
            m.observe(now, 1, 1, 16);
        }
    }
}

package org.kiscsi.transport.tcp.internal;

import org.kiscsi.transport.tcp.TcpOptions;

/**
 * How long an I/O thread pauses (read coalescing) or polls (busy poll) after a pass that read one
 * connection, decided from what it observed of that connection: replies per second, the I/O
 * thread's CPU per reply, the interval between replies, replies due and bytes moved. The clocks are
 * inputs ({@link #observe}), so the decisions depend on nothing else. One per connection, used by
 * its I/O thread only.
 *
 * <p>Adaptive pause, as NIC drivers moderate interrupts (Linux's DIM): while enough replies are due,
 * it measures the reply rate and the cost per reply (the I/O thread's CPU time per reply; wake-ups
 * per reply where the JVM measures no thread CPU time) over {@link #MEASURE_WINDOWS} windows, first
 * with no pause, then with longer pauses ({@link #LEVEL_QUARTERS}). A longer pause is kept while the
 * reply rate stays within {@link #KEEP_RATE} of the rate with no pause and the cost per reply does
 * not grow: a target that answers as fast as it is asked (the pause would idle it) ends at no pause,
 * a slow target with work queued at the longest. CPU is what a pause saves (fewer, larger reads and
 * writes per reply, fewer wake-ups), so CPU is what is compared. Once settled it holds for
 * {@link #HOLD_WINDOWS} windows, or until the rate has moved by {@link #RATE_CHANGED} in
 * {@link #CHANGED_WINDOWS} windows in a row (one noisy window is not a new workload), then measures
 * again from no pause.
 *
 * <p>Adaptive poll: only where it makes replies come faster than without it ({@link PollTrial}: a
 * spinning core may be the one the target needed), and only as long as replies have lately taken
 * to come (half as long again), at most the configured poll ({@link #pollNanos}).
 */
final class Moderator {
    /** The pause of each level, in quarters of the configured longest pause. */
    static final int[] LEVEL_QUARTERS = {0, 1, 2, 4};
    static final int LEVELS = LEVEL_QUARTERS.length;
    /** A window lasts at least this long... */
    static final long WINDOW_NANOS = 8_000_000;
    /** ...and counts at least this many replies (a window of a few hundred replies swings by more than {@link #KEEP_RATE} leaves). */
    static final int WINDOW_MIN_REPLIES = 1024;
    /** Windows each level is measured over: one window's rate still swings by a few per cent from the next one's. */
    static final int MEASURE_WINDOWS = 2;
    /** A pause is kept while the reply rate stays at least this share of the rate with no pause. */
    static final double KEEP_RATE = 0.97;
    /** ...and its cost per reply stays at most this share of the level below's (a pause that costs more is no saving). */
    static final double KEEP_COST = 1.0;
    /** Windows a settled level is held before it is measured again (a few seconds at tens of thousands of replies a second). */
    static final int HOLD_WINDOWS = 250;
    /** A settled rate that moves by this share... */
    static final double RATE_CHANGED = 0.25;
    /** ...in this many windows in a row means the workload changed: measure again. */
    static final int CHANGED_WINDOWS = 3;
    /** The most replies due for the busy poll (see {@link #pollNanos}). */
    static final int POLL_MAX_DUE = 2;
    /** The most recent passes may have moved for the busy poll: 8 KiB I/Os at queue depth 1 poll, 16 KiB ones not. */
    static final long POLL_MAX_RECENT_BYTES = 24 * 1024;
    /** The shortest adaptive poll: below it the poll costs more than it could catch. */
    static final long POLL_MIN_NANOS = 5_000;
    /** An interval between replies is counted at most this long (one idle minute must not hide the next busy second). */
    static final long MAX_GAP_NANOS = 1_000_000;

    /** The CPU time the I/O thread has used, in nanoseconds, or -1 where the JVM does not measure it. */
    interface CpuClock {
        long threadCpuNanos();
    }

    /** The I/O thread's own CPU time, read once per window (a system call: never per wake-up). */
    static final CpuClock THREAD_CPU = threadCpuClock();

    private int level;
    private boolean settled;
    private int heldWindows;
    private int changedWindows;
    /** Reply rate with no pause, of the current measurement (replies per second). */
    private double baseRate;
    private double baseCost;
    /** Rate and cost per reply at the level kept so far. */
    private double keptRate;
    private double keptCost;
    private long windowStart = -1;
    private long windowCpuStart;
    private long windowReplies;
    private long windowWakeups;
    /** The windows of the level being measured, summed. */
    private int measuredWindows;
    private long measuredNanos;
    private long measuredReplies;
    private double measuredCost;
    /** Whether the cost is CPU nanoseconds per reply (else wake-ups per reply). */
    private boolean costIsCpu;
    /** Whether the busy poll pays on this connection. */
    private final PollTrial pollTrial = new PollTrial();
    private long lastReplyAt = -1;
    /** Eight times the moving average of the interval between replies (exact in steady state), 0 until one was measured. */
    private long gapEights;

    /**
     * One wake-up's observation of the connection, after its pass: at {@code now}, {@code replies}
     * PDUs were delivered since the last observation and {@code due} replies are awaited; {@code cpu}
     * is read only where a window starts or ends. True when the pause level or the poll's decision
     * settled with this observation (for a diagnostic line).
     */
    boolean observe(long now, int replies, int due, int minDue, CpuClock cpu) {
        if (replies > 0) {
            if (lastReplyAt >= 0) {
                long gap = Math.max(1, Math.min(MAX_GAP_NANOS, (now - lastReplyAt) / replies));
                gapEights = gapEights == 0 ? gap * 8 : gapEights + gap - gapEights / 8;
            }
            lastReplyAt = now;
        }
        boolean pollSettledBefore = pollTrial.settled();
        pollTrial.observe(now, replies, due > 0 && due <= POLL_MAX_DUE && due < minDue);
        boolean pollSettled = pollTrial.settled() && !pollSettledBefore;
        if (due < minDue) {
            windowStart = -1; // no pause now: a window must not mix passes with and without one
            measuredWindows = 0;
            return pollSettled;
        }
        if (windowStart < 0) {
            startWindow(now, cpu.threadCpuNanos());
            return false;
        }
        windowReplies += replies;
        windowWakeups++;
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS && windowReplies >= WINDOW_MIN_REPLIES) {
            long cpuNow = cpu.threadCpuNanos();
            costIsCpu = cpuNow >= 0 && windowCpuStart >= 0;
            double cost = costIsCpu ? (double) (cpuNow - windowCpuStart) / windowReplies : (double) windowWakeups / windowReplies;
            boolean before = settled;
            window(elapsed, windowReplies, cost);
            startWindow(now, cpuNow);
            return settled && !before;
        }
        return false;
    }

    /** {@link #observe(long, int, int, int, CpuClock)} where no thread CPU time is known: wake-ups per reply are the cost. */
    boolean observe(long now, int replies, int due, int minDue) {
        return observe(now, replies, due, minDue, () -> -1);
    }

    private void startWindow(long now, long cpuNow) {
        windowStart = now;
        windowCpuStart = cpuNow;
        windowReplies = 0;
        windowWakeups = 0;
    }

    private void window(long nanos, long replies, double cost) {
        double rate = replies * 1e9 / nanos;
        if (settled) {
            changedWindows = Math.abs(rate - keptRate) > RATE_CHANGED * keptRate ? changedWindows + 1 : 0;
            if (++heldWindows >= HOLD_WINDOWS || changedWindows >= CHANGED_WINDOWS) {
                settled = false;
                level = 0;
                measuredWindows = 0;
            }
            return;
        }
        measuredNanos = measuredWindows == 0 ? nanos : measuredNanos + nanos;
        measuredReplies = measuredWindows == 0 ? replies : measuredReplies + replies;
        measuredCost = measuredWindows == 0 ? cost * replies : measuredCost + cost * replies;
        if (++measuredWindows < MEASURE_WINDOWS) {
            return;
        }
        measuredWindows = 0;
        sample(measuredReplies * 1e9 / measuredNanos, measuredCost / measuredReplies);
    }

    private void sample(double rate, double cost) {
        if (level == 0) {
            baseRate = rate;
            baseCost = cost;
            keptRate = rate;
            keptCost = cost;
            level = 1;
            return;
        }
        if (rate >= KEEP_RATE * baseRate && cost <= KEEP_COST * keptCost) {
            keptRate = rate;
            keptCost = cost;
            if (level == LEVELS - 1) {
                settle();
            } else {
                level++;
            }
        } else {
            level--; // this pause slowed the replies or cost more: the one below stays
            settle();
        }
    }

    private void settle() {
        settled = true;
        heldWindows = 0;
        changedWindows = 0;
    }

    private static CpuClock threadCpuClock() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            return () -> -1;
        }
        return threads::getCurrentThreadCpuTime;
    }

    /** The pause before the thread looks at its sockets again, 0 for none; never longer than {@code readCoalesceNanos}. */
    long pauseNanos(TcpOptions o, int due) {
        if (o.readCoalesceNanos() == 0 || due < o.readCoalesceMinReplies()) {
            return 0;
        }
        return switch (o.moderation()) {
            case OFF -> 0;
            case FIXED -> o.readCoalesceNanos();
            case ADAPTIVE -> o.readCoalesceNanos() * LEVEL_QUARTERS[level] / 4;
        };
    }

    /**
     * How long the thread polls before it sleeps, 0 for not at all; never longer than
     * {@code busyPollNanos}. Only with one or two replies due of small exchanges: there a reply is
     * a round trip away and the wake-up of a sleeping thread is much of it. Not when idle, not
     * while more are due (replies come often enough that the thread seldom sleeps), not while
     * large data moves (its own time dwarfs a wake-up; the CPU is better left to the peer).
     * Adaptive: only where the {@link PollTrial} found that replies come faster with the poll, and
     * as long as replies lately took, half as long again (at most {@code busyPollNanos}).
     */
    long pollNanos(TcpOptions o, int due, long recentBytes) {
        long max = o.busyPollNanos();
        long gapNanos = gapNanos();
        if (max == 0 || due <= 0 || due > POLL_MAX_DUE || due >= o.readCoalesceMinReplies()
                || recentBytes > POLL_MAX_RECENT_BYTES) {
            return 0;
        }
        return switch (o.moderation()) {
            case OFF -> 0;
            case FIXED -> max;
            case ADAPTIVE -> {
                if (!pollTrial.pollNow()) {
                    yield 0; // measured: replies come no faster with the poll than without it here
                }
                if (gapNanos == 0) {
                    yield max; // nothing measured yet
                }
                // as long as replies lately took, half as long again; where they take longer than the poll may
                // last, the whole of it (whether that pays, the trial measures)
                long want = gapNanos + gapNanos / 2;
                yield Math.min(max, Math.max(POLL_MIN_NANOS, want));
            }
        };
    }

    /** The pause level in force (0: none), for tests and diagnostics. */
    int level() {
        return level;
    }

    boolean settled() {
        return settled;
    }

    /** Replies per second measured at the level kept (for the diagnostic line). */
    double keptRate() {
        return keptRate;
    }

    /** Cost per reply at the level kept, and with no pause (for the diagnostic line). */
    String costs() {
        return costIsCpu
                ? String.format(java.util.Locale.ROOT, "%.0f ns of I/O-thread CPU per reply (%.0f without a pause)", keptCost, baseCost)
                : String.format(java.util.Locale.ROOT, "%.2f wake-ups per reply (%.2f without a pause)", keptCost, baseCost);
    }

    /** What the poll trial found (for the diagnostic line). */
    String pollDecision() {
        return pollTrial.describe();
    }

    /** The moving average of the interval between replies (0: none measured yet). */
    long gapNanos() {
        return gapEights / 8;
    }
}

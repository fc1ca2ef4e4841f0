package org.kiscsi.transport.tcp.internal;

import org.kiscsi.transport.tcp.TcpOptions;

/**
 * How long an I/O thread pauses (read coalescing) or polls (busy poll) after a pass that read one
 * connection, decided from what it observed of that connection only: replies per wake-up, the
 * interval between replies, replies due and bytes moved. The clock is an input ({@link #observe}),
 * so the decisions depend on nothing else. One per connection, used by its I/O thread only.
 *
 * <p>Adaptive pause, as NIC drivers moderate interrupts (Linux's DIM): while enough replies are due,
 * it measures the connection's reply rate and wake-ups per reply over windows, first with no pause,
 * then with longer pauses ({@link #LEVELS}). A longer pause is kept only while the reply rate stays
 * within {@link #KEEP_RATE} of the rate with no pause and it saves wake-ups ({@link #FEWER_WAKEUPS}):
 * a target that answers as fast as it is asked (the pause would idle it) ends at no pause, a slow
 * target with work queued at the longest. Once settled it holds for {@link #HOLD_WINDOWS} windows, or
 * until the rate moves by {@link #RATE_CHANGED}, then measures again from no pause.
 *
 * <p>Adaptive poll: only as long as replies have lately taken to come (half as long again), and
 * not at all when they take longer than a poll could wait ({@link #pollNanos}).
 */
final class Moderator {
    /** The pause of each level, in quarters of the configured longest pause. */
    static final int[] LEVEL_QUARTERS = {0, 1, 2, 4};
    static final int LEVELS = LEVEL_QUARTERS.length;
    /** A window lasts at least this long... */
    static final long WINDOW_NANOS = 8_000_000;
    /**
     * ...and counts at least this many replies: the rates compared must differ by less than
     * {@link #KEEP_RATE} leaves, and a window of a few hundred replies swings by more than that.
     */
    static final int WINDOW_MIN_REPLIES = 1024;
    /** A pause is kept while the reply rate stays at least this share of the rate with no pause. */
    static final double KEEP_RATE = 0.97;
    /** ...and it wakes the thread at most this share as often per reply as the level below. */
    static final double FEWER_WAKEUPS = 0.85;
    /** Windows a settled level is held before it is measured again. */
    static final int HOLD_WINDOWS = 100;
    /** A settled rate that moves by this share means the workload changed: measure again. */
    static final double RATE_CHANGED = 0.25;
    /** The most replies due for the busy poll (see {@link #pollNanos}). */
    static final int POLL_MAX_DUE = 2;
    /** The most recent passes may have moved for the busy poll: 8 KiB I/Os at queue depth 1 poll, 16 KiB ones not. */
    static final long POLL_MAX_RECENT_BYTES = 24 * 1024;
    /** The shortest adaptive poll: below it the poll costs more than it could catch. */
    static final long POLL_MIN_NANOS = 5_000;
    /** An interval between replies is counted at most this long (one idle minute must not hide the next busy second). */
    static final long MAX_GAP_NANOS = 1_000_000;

    private int level;
    private boolean settled;
    private int heldWindows;
    /** Reply rate with no pause, of the current measurement (replies per second). */
    private double baseRate;
    /** Wake-ups per reply at the level kept so far. */
    private double keptWakeupsPerReply;
    private double keptRate;
    private double baseWakeupsPerReply;
    private long windowStart = -1;
    private long windowReplies;
    private long windowWakeups;
    private long lastReplyAt = -1;
    /** Eight times the moving average of the interval between replies (exact in steady state), 0 until one was measured. */
    private long gapEights;

    /**
     * One wake-up's observation of the connection, after its pass: at {@code now}, {@code replies}
     * PDUs were delivered since the last observation and {@code due} replies are awaited. True when
     * the pause level settled with this observation (for a diagnostic line).
     */
    boolean observe(long now, int replies, int due, int minDue) {
        if (replies > 0) {
            if (lastReplyAt >= 0) {
                long gap = Math.max(1, Math.min(MAX_GAP_NANOS, (now - lastReplyAt) / replies));
                gapEights = gapEights == 0 ? gap * 8 : gapEights + gap - gapEights / 8;
            }
            lastReplyAt = now;
        }
        if (due < minDue) {
            windowStart = -1; // no pause now: a window must not mix passes with and without one
            return false;
        }
        if (windowStart < 0) {
            startWindow(now);
            return false;
        }
        windowReplies += replies;
        windowWakeups++;
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS && windowReplies >= WINDOW_MIN_REPLIES) {
            boolean before = settled;
            sample(windowReplies * 1e9 / elapsed, (double) windowWakeups / windowReplies);
            startWindow(now);
            return settled && !before;
        }
        return false;
    }

    private void startWindow(long now) {
        windowStart = now;
        windowReplies = 0;
        windowWakeups = 0;
    }

    private void sample(double rate, double wakeupsPerReply) {
        if (settled) {
            if (++heldWindows >= HOLD_WINDOWS || Math.abs(rate - keptRate) > RATE_CHANGED * keptRate) {
                settled = false;
                level = 0;
            }
            return;
        }
        if (level == 0) {
            baseRate = rate;
            baseWakeupsPerReply = wakeupsPerReply;
            keptRate = rate;
            keptWakeupsPerReply = wakeupsPerReply;
            level = 1;
            return;
        }
        if (rate >= KEEP_RATE * baseRate && wakeupsPerReply <= FEWER_WAKEUPS * keptWakeupsPerReply) {
            keptRate = rate;
            keptWakeupsPerReply = wakeupsPerReply;
            if (level == LEVELS - 1) {
                settle();
            } else {
                level++;
            }
        } else {
            level--; // this pause slowed the replies or saved nothing: the one below stays
            settle();
        }
    }

    private void settle() {
        settled = true;
        heldWindows = 0;
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
     * Adaptive: as long as replies lately took, half as long again, and not at all when that is
     * beyond what a poll of {@code busyPollNanos} could catch.
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
                if (gapNanos == 0) {
                    yield max; // nothing measured yet
                }
                long want = gapNanos + gapNanos / 2;
                yield want > max + max / 2 ? 0 : Math.min(max, Math.max(POLL_MIN_NANOS, want));
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

    /** Wake-ups per reply measured at the level kept, and with no pause (for the diagnostic line). */
    String wakeups() {
        return String.format(java.util.Locale.ROOT, "%.2f wake-ups per reply (%.2f without a pause)", keptWakeupsPerReply,
                baseWakeupsPerReply);
    }

    /** The moving average of the interval between replies (0: none measured yet). */
    long gapNanos() {
        return gapEights / 8;
    }
}

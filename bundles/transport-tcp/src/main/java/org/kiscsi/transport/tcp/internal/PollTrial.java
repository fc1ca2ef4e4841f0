package org.kiscsi.transport.tcp.internal;

/**
 * Whether the busy poll pays on one connection: the reply rate with the poll against the rate
 * without it, measured in turn over windows of small exchanges (one or two replies due, where the
 * poll applies). A poll spins a core; on a machine where the target, or anything else, needs that
 * core, replies come slower with the poll than without it, and then the poll is dropped. Kept only
 * where it brings at least {@link #GAIN} more replies a second (it costs CPU, so it has to buy
 * something); measured again every {@link #HOLD_WINDOWS} windows. The clock is an input.
 */
final class PollTrial {
    /** A window lasts at least this long... */
    static final long WINDOW_NANOS = 20_000_000;
    /** ...and counts at least this many replies. */
    static final int WINDOW_MIN_REPLIES = 256;
    /** The poll is kept where the reply rate with it is at least this multiple of the rate without it. */
    static final double GAIN = 1.05;
    /** Windows a decision holds before it is measured again (a trial without the poll costs one window). */
    static final int HOLD_WINDOWS = 100;

    private enum Phase { WITH, WITHOUT, SETTLED }

    private Phase phase = Phase.WITH;
    private boolean pays = true;
    private double rateWith;
    private double rateWithout;
    private int held;
    private long windowStart = -1;
    private long windowReplies;

    /** One wake-up, after its pass: {@code replies} delivered; {@code small}: one or two small exchanges due, the poll's ground. */
    void observe(long now, int replies, boolean small) {
        if (!small) {
            windowStart = -1; // a window counts only passes where the poll applies (or would)
            return;
        }
        if (windowStart < 0) {
            windowStart = now;
            windowReplies = 0;
            return;
        }
        windowReplies += replies;
        long elapsed = now - windowStart;
        if (elapsed < WINDOW_NANOS || windowReplies < WINDOW_MIN_REPLIES) {
            return;
        }
        double rate = windowReplies * 1e9 / elapsed;
        windowStart = now;
        windowReplies = 0;
        switch (phase) {
            case WITH -> {
                rateWith = rate;
                phase = Phase.WITHOUT;
            }
            case WITHOUT -> {
                rateWithout = rate;
                pays = rateWith >= GAIN * rateWithout;
                phase = Phase.SETTLED;
                held = 0;
            }
            case SETTLED -> {
                if (++held >= HOLD_WINDOWS) {
                    phase = Phase.WITH;
                }
            }
        }
    }

    /** Whether the poll may run now: while it is measured with it, and once settled where it paid. */
    boolean pollNow() {
        return phase == Phase.WITH || phase == Phase.SETTLED && pays;
    }

    boolean settled() {
        return phase == Phase.SETTLED;
    }

    /** For the diagnostic line. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "busy poll %s: %.0f replies/s with it, %.0f without", pays ? "kept" : "dropped",
                rateWith, rateWithout);
    }
}

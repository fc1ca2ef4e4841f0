package org.kiscsi.tools.lun;

import java.io.PrintStream;
import java.util.Locale;


/** kiscsi-dd's progress bar on standard error: bytes, a bar, rate and time left, redrawn at most 5 times a second. */
public final class DdProgress implements LunCopy.ProgressListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR = 24;
    private final PrintStream err;
    private long lastDraw = Long.MIN_VALUE;
    private String last = "";

    public DdProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public void copied(long bytes, long total, long nanos) {
        if (lastDraw != Long.MIN_VALUE && nanos - lastDraw < REDRAW_NANOS && bytes != total) {
            return;
        }
        lastDraw = nanos;
        double secs = Math.max(nanos / 1e9, 1e-9);
        double rate = bytes / secs;
        StringBuilder b = new StringBuilder("\r").append(human(bytes));
        if (total > 0) {
            int filled = (int) (BAR * bytes / total);
            b.append(" / ").append(human(total)).append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", 100 * bytes / total));
        }
        b.append(String.format(Locale.ROOT, "  %s/s", human((long) rate)));
        if (total > 0 && rate > 0) {
            b.append("  ").append(clock((long) ((total - bytes) / rate))).append(" left");
        } else {
            b.append("  ").append(clock((long) secs)).append(" elapsed");
        }
        String line = b.toString();
        // pad over a longer previous line
        err.print(line + " ".repeat(Math.max(0, last.length() - line.length())));
        err.flush();
        last = line;
    }

    public void end() {
        if (!last.isEmpty()) {
            err.println();
        }
    }

    /** dd's last line: bytes, size, seconds, rate. */
    public static String summary(long bytes, long nanos) {
        double secs = nanos / 1e9;
        return String.format(Locale.ROOT, "%d bytes (%s) copied, %.3f s, %s/s", bytes, human(bytes), secs,
                human(secs > 0 ? (long) (bytes / secs) : 0));
    }

    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String clock(long s) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}

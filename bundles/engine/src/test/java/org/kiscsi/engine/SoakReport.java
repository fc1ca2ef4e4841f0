package org.kiscsi.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The soak's findings and verdict, printed. */
final class SoakReport {
    /** A failure this close after a recovery ended still counts as within its window (the answer was on its way). */
    private static final long AFTER_SLACK_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The engine fails held commands at replacement_timeout; a failure this much earlier counts as outside. */
    private static final long BEFORE_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final double minutes;
    private final List<SoakWorker> workers;
    private final SoakChaos chaos;
    private final List<long[]> downWindows;
    private final Duration replacement;
    private final List<String> samples;
    private final List<long[]> sampleValues;
    private final List<String> verifyErrors;
    private final boolean allBack;
    private final int tasksLeft;
    private final long elapsedNanos;

    SoakReport(double minutes, List<SoakWorker> workers, SoakChaos chaos, List<long[]> downWindows, Duration replacement,
            List<String> samples, List<long[]> sampleValues, List<String> verifyErrors, boolean allBack, int tasksLeft,
            long elapsedNanos) {
        this.minutes = minutes;
        this.workers = workers;
        this.chaos = chaos;
        this.downWindows = downWindows;
        this.replacement = replacement;
        this.samples = samples;
        this.sampleValues = sampleValues;
        this.verifyErrors = verifyErrors;
        this.allBack = allBack;
        this.tasksLeft = tasksLeft;
        this.elapsedNanos = elapsedNanos;
    }

    /** Prints the report; returns the exit code: 0 when all is well. */
    int print() {
        List<String> problems = new ArrayList<>();
        long reads = 0, writes = 0, checked = 0, lost = 0, corrupt = 0, hung = 0;
        List<SoakWorker.Failure> failures = new ArrayList<>();
        long failed = 0;
        long failedOutside = 0;
        for (SoakWorker w : workers) {
            reads += w.reads.get();
            writes += w.writes.get();
            checked += w.blocksChecked.get();
            lost += w.lost.get();
            corrupt += w.corrupt.get();
            hung += w.hung.get();
            synchronized (w.failures) {
                failures.addAll(w.failures);
            }
            for (long t : w.failureTimes()) {
                failed++;
                if (!inWindow(w.name, t)) {
                    failedOutside++;
                }
            }
            synchronized (w.damage) {
                w.damage.forEach(d -> problems.add("damaged: " + d));
            }
        }
        List<SoakWorker.Failure> outside = failures.stream().filter(f -> !inWindow(f.session(), f.nanoTime())).toList();
        System.out.println();
        System.out.println("==== kiscsi soak report ====");
        System.out.printf("ran %.1f of %.1f minutes; %d sessions through fault proxies to tgtd; replacement_timeout %d s%n",
                elapsedNanos / 60e9, minutes, workers.size(), replacement.toSeconds());
        System.out.printf("I/O: %d reads, %d writes acknowledged; %d blocks of 4 KiB checked (the final full read included)%n",
                reads, writes, checked);
        System.out.println("faults: " + chaos.counts());
        System.out.println("recoveries (session left LOGGED_IN and came back): " + downWindows.size());
        System.out.printf("blocks lost %d, corrupt %d; commands failed %d, of them outside a replacement_timeout window %d; hung %d%n",
                lost, corrupt, failed, failedOutside, hung);
        failures.stream().limit(5).forEach(f -> System.out.println("  e.g. " + f.session() + " " + f.what() + ": " + f.why()));
        System.out.println("samples (heap after GC, live threads, descriptors other than jars, tasks held):");
        samples.forEach(s -> System.out.println("  " + s));
        String flat = flatness();
        System.out.println("resources: " + flat);
        System.out.println("fault log:");
        synchronized (chaos.log) {
            chaos.log.forEach(l -> System.out.println("  " + l));
        }
        if (lost + corrupt > 0) {
            problems.add(lost + " block(s) lost, " + corrupt + " corrupt");
        }
        if (failedOutside > 0) {
            problems.add(failedOutside + " command(s) failed outside a recovery window");
        }
        outside.stream().limit(20).forEach(f -> problems.add("failed outside a recovery window: " + f.session() + " " + f.what() + ": " + f.why()));
        if (hung > 0) {
            problems.add(hung + " command(s) waited more than 120 s");
        }
        if (!allBack) {
            problems.add("not every session was logged in again within 60 s of the last fault");
        }
        if (tasksLeft != 0) {
            problems.add(tasksLeft + " task(s) held after every session logged out");
        }
        if (!flat.startsWith("flat")) {
            problems.add("resources not flat: " + flat);
        }
        problems.addAll(verifyErrors);
        System.out.println(problems.isEmpty() ? "verdict: OK" : "verdict: FAILED");
        problems.forEach(p -> System.out.println("  " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Within [down + replacement_timeout - 1 s, back + 2 s] of a recovery of its session (or one still open). */
    private boolean inWindow(String session, long t) {
        for (long[] w : downWindows) {
            if (session.equals("session " + w[0]) && t >= w[1] + replacement.toNanos() - BEFORE_SLACK_NANOS
                    && t <= w[2] + AFTER_SLACK_NANOS) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compares the last sample with the first: threads within 4 (the proxies' and transport's pools
     * move), descriptors within 8, heap within 16 MiB.
     */
    private String flatness() {
        if (sampleValues.size() < 2) {
            return "flat (one sample only)";
        }
        long[] first = sampleValues.get(0);
        long[] last = sampleValues.get(sampleValues.size() - 1);
        List<String> grew = new ArrayList<>();
        if (last[1] - first[1] > 16L << 20) {
            grew.add(String.format("heap %.1f -> %.1f MiB", first[1] / 1048576.0, last[1] / 1048576.0));
        }
        if (last[2] - first[2] > 4) {
            grew.add("threads " + first[2] + " -> " + last[2]);
        }
        if (first[3] >= 0 && last[3] - first[3] > 8) {
            grew.add("descriptors " + first[3] + " -> " + last[3]);
        }
        return grew.isEmpty() ? String.format("flat (heap %+.1f MiB, threads %+d, descriptors %+d from first to last sample)",
                (last[1] - first[1]) / 1048576.0, last[2] - first[2], last[3] - first[3]) : "grew: " + String.join(", ", grew);
    }

}

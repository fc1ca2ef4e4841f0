package org.kiscsi.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.kiscsi.testkit.proxy.FaultProxy;

/**
 * The soak's faults, one every few seconds at random: a proxy cuts its connections, stalls (shorter
 * and longer than the NOP-Out timeout), refuses connections for a while (now and then longer than
 * replacement_timeout), tgtd is killed and started again, the TCP transport is replaced under load.
 * The last two also come once each at fixed points of the run, so a short run shows them too.
 */
final class SoakChaos implements Runnable {
    /** What the soak does for the two faults outside the proxies. */
    interface Actions {
        void restartTgtd() throws Exception;

        void replaceTransport() throws Exception;
    }

    private final List<FaultProxy> proxies;
    private final Actions actions;
    private final Random random;
    private final long endNanos;
    private final long startNanos = System.nanoTime();
    private final Duration replacementTimeout;
    private final Map<String, Integer> counts = new TreeMap<>();
    final List<String> log = new ArrayList<>(); // guarded by itself
    private volatile boolean stopping;

    SoakChaos(List<FaultProxy> proxies, Actions actions, long seed, long endNanos, Duration replacementTimeout) {
        this.proxies = proxies;
        this.actions = actions;
        this.random = new Random(seed);
        this.endNanos = endNanos;
        this.replacementTimeout = replacementTimeout;
    }

    void stop() {
        stopping = true;
    }

    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    @Override
    public void run() {
        long span = endNanos - startNanos;
        boolean restarted = false;
        boolean replaced = false;
        try {
            sleep(Duration.ofSeconds(5));
            while (!stopping && System.nanoTime() < endNanos) {
                double at = (System.nanoTime() - startNanos) / (double) span;
                if (!restarted && at > 0.4) {
                    restarted = true;
                    event("tgtd restart", actions::restartTgtd);
                } else if (!replaced && at > 0.7) {
                    replaced = true;
                    event("transport replaced", actions::replaceTransport);
                } else {
                    randomFault();
                }
                sleep(Duration.ofMillis(4000 + random.nextInt(8000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (FaultProxy p : proxies) {
                p.refuseConnections(false);
                p.resume();
            }
        }
    }

    private void randomFault() throws InterruptedException {
        FaultProxy p = proxies.get(random.nextInt(proxies.size()));
        int dice = random.nextInt(100);
        if (dice < 40) {
            event("cut", p::cutAll);
        } else if (dice < 55) {
            hold("short stall", p, Duration.ofMillis(300 + random.nextInt(1200)));
        } else if (dice < 70) {
            hold("long stall", p, Duration.ofMillis(4000 + random.nextInt(4000)));
        } else if (dice < 87) {
            refuse("refuse", p, Duration.ofMillis(1000 + random.nextInt(4000)));
        } else if (dice < 92) {
            refuse("refuse past replacement_timeout", p, replacementTimeout.plusSeconds(3));
        } else if (dice < 96) {
            event("tgtd restart", actions::restartTgtd);
        } else {
            event("transport replaced", actions::replaceTransport);
        }
    }

    private void hold(String what, FaultProxy p, Duration d) throws InterruptedException {
        event(what + " " + d.toMillis() + " ms", p::stall);
        sleep(d);
        p.resume();
    }

    private void refuse(String what, FaultProxy p, Duration d) throws InterruptedException {
        event(what + " " + d.toMillis() + " ms", () -> {
            p.refuseConnections(true);
            p.cutAll();
        });
        sleep(d);
        p.refuseConnections(false);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void event(String what, Step step) {
        String kind = what.replaceAll(" [0-9]+ ms$", "");
        synchronized (this) {
            counts.merge(kind, 1, Integer::sum);
        }
        long t = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        String line = String.format("%4d s  %s", t, what);
        try {
            step.run();
        } catch (Exception e) {
            line += " FAILED: " + e;
        }
        synchronized (log) {
            log.add(line);
        }
        System.out.println("soak: " + line);
    }

    private void sleep(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (!stopping && System.nanoTime() < until) {
            Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }
}

package org.kiscsi.launcher.internal;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

import sun.misc.Signal;

/**
 * Stops the daemon on SIGTERM or SIGINT: the daemon bundle first (its component logs sessions out,
 * closes the socket and the node store), then the framework, which stops the remaining bundles in
 * reverse start order. The launcher's main thread then removes the pid file and exits 0. A stop
 * that hangs is cut short after a timeout, the pid file still removed.
 */
final class OrderlyStop {
    static final String DAEMON_BUNDLE = "org.kiscsi.iscsid";

    private final AtomicBoolean requested = new AtomicBoolean();
    private final PrintStream err;
    private final long timeoutMillis;
    private final Runnable onTimeout;
    private volatile Framework framework;

    /**
     * @param onTimeout run (then the JVM halts with status 1) when the stop takes longer than
     *        {@code timeoutMillis}; it removes the pid file
     */
    OrderlyStop(PrintStream err, long timeoutMillis, Runnable onTimeout) {
        this.err = err;
        this.timeoutMillis = timeoutMillis;
        this.onTimeout = onTimeout;
    }

    /** Catches SIGTERM and SIGINT: both stop the daemon in order, exit status 0. */
    void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> request("SIG" + name));
        }
    }

    /** The framework the next stop acts on (a restart makes a new one). */
    void attach(Framework fw) {
        this.framework = fw;
    }

    boolean requested() {
        return requested.get();
    }

    /** Starts the orderly stop once; later calls do nothing. */
    void request(String why) {
        if (!requested.compareAndSet(false, true)) {
            return;
        }
        Thread stopper = new Thread(() -> stopNow(why), "iscsid-stop");
        stopper.setDaemon(true);
        stopper.start();
        Thread watchdog = new Thread(this::watchdog, "iscsid-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Stops the daemon bundle, then the framework; a framework not attached yet is stopped by the launcher once it is. */
    void stopNow(String why) {
        Framework fw = framework;
        if (fw == null) {
            return;
        }
        stopDaemonBundle(fw, why);
        try {
            fw.stop();
        } catch (BundleException e) {
            err.println("iscsid: stopping the framework failed: " + e);
        }
    }

    private void stopDaemonBundle(Framework fw, String why) {
        if (fw.getBundleContext() == null) {
            return; // not started (yet): nothing of the daemon runs
        }
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if (DAEMON_BUNDLE.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                try {
                    // transient: the daemon bundle must start again on the next run
                    b.stop(Bundle.STOP_TRANSIENT);
                } catch (BundleException | IllegalStateException e) {
                    err.println("iscsid: stopping the daemon on " + why + " failed: " + e);
                }
            }
        }
    }

    private void watchdog() {
        try {
            TimeUnit.MILLISECONDS.sleep(timeoutMillis);
        } catch (InterruptedException e) {
            return;
        }
        err.println("iscsid: the daemon did not stop within " + timeoutMillis / 1000 + " s; exiting anyway");
        try {
            onTimeout.run();
        } finally {
            Runtime.getRuntime().halt(1);
        }
    }
}

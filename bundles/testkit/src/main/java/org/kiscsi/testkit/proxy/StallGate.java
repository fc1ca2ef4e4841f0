package org.kiscsi.testkit.proxy;

import java.util.function.BooleanSupplier;

/** Holds every pump while the proxy is stalled. */
final class StallGate {
    /** How long a held pump sleeps before it checks again whether its connection is gone. */
    private static final long RECHECK_MILLIS = 50;

    private boolean stalled;

    synchronized void stall() {
        stalled = true;
    }

    synchronized void resume() {
        stalled = false;
        notifyAll();
    }

    /** Wakes held pumps so they see their connection closed. */
    synchronized void wake() {
        notifyAll();
    }

    /**
     * Returns once the gate is open: true to go on, false when {@code abandoned} says the caller's
     * connection is gone (checked at least every {@value #RECHECK_MILLIS} ms while held).
     */
    synchronized boolean pass(BooleanSupplier abandoned) throws InterruptedException {
        while (stalled && !abandoned.getAsBoolean()) {
            wait(RECHECK_MILLIS);
        }
        return !abandoned.getAsBoolean();
    }
}

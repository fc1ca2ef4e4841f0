package org.kiscsi.engine.internal;

import java.time.Duration;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * How often, and for how long, a command may go to the target again. Each attempt has its own
 * {@code node.session.scsi.cmd_timeout}, so without a bound a connection that keeps dropping before
 * the timeout would keep a command alive for ever. kiscsi bounds it as Linux's SCSI midlayer bounds a
 * disk's commands under open-iscsi: a command the transport disrupted is retried at most
 * {@link #MAX_RETRIES} times (sd's SD_MAX_RETRIES; scsi_decide_disposition sends DID_TRANSPORT_DISRUPTED
 * to its bounded retry), and fails once {@code (MAX_RETRIES + 1) x cmd_timeout} have passed since it
 * was first sent (scsi_softirq_done's "timing out command, waited ..."). open-iscsi has no record key
 * for either (the sd driver owns them), so neither has kiscsi.
 */
final class ResendBudget {
    /** sd's SD_MAX_RETRIES: retries after a connection loss, a reset or a task termination. */
    static final int MAX_RETRIES = 5;

    private ResendBudget() {
    }

    /** How long a command may take from its first sending, over all its attempts. */
    static Duration total(Duration commandTimeout) {
        return commandTimeout.multipliedBy(MAX_RETRIES + 1);
    }

    /**
     * Why {@code t}, about to go again, may not: its retries are spent or its time is up; null when
     * it may go. {@code where} names the session.
     */
    static IscsiException spent(CommandTask t, long now, Duration commandTimeout, String where) {
        if (t.sends == 0) {
            return null; // never sent: nothing to bound yet
        }
        Duration total = total(commandTimeout);
        long elapsedMs = (now - t.firstSent) / 1_000_000;
        boolean retries = t.retries > MAX_RETRIES;
        if (!retries && elapsedMs < total.toMillis()) {
            return null;
        }
        String why = retries
                ? "its " + MAX_RETRIES + " retries are spent"
                : "(" + MAX_RETRIES + " + 1) x " + commandTimeout.toSeconds() + " s (node.session.scsi.cmd_timeout) = "
                        + total.toSeconds() + " s have passed since it was first sent";
        return new IscsiException(IscsiError.REQ_TIMEDOUT, where + ": " + t.describe() + " failed: sent " + t.sends
                + " time(s) over " + String.format(java.util.Locale.ROOT, "%.1f", elapsedMs / 1000.0) + " s without an answer and " + why
                + (t.lastLoss == null ? "" : "; the last attempt ended with: " + t.lastLoss)
                + (t.mayHaveRun ? "; it may have executed" : ""));
    }
}

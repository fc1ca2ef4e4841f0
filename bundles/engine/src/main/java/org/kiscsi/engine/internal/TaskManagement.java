package org.kiscsi.engine.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;
import org.kiscsi.protocol.pdu.Bhs;
import org.kiscsi.protocol.pdu.LunField;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task management for commands that time out, as open-iscsi escalates: ABORT TASK, then LOGICAL UNIT
 * RESET, then TARGET WARM RESET, then session recovery (a new connection, which ends every task of
 * the old one). A step whose answer is "not supported", "rejected" or anything but success, or no
 * answer within its timeout ({@code abort_timeout}, {@code lu_reset_timeout}, {@code tgt_reset_timeout}),
 * escalates to the next. A command that timed out fails only once its task is known to be gone.
 * Runs under the session's lock.
 */
final class TaskManagement {
    private static final Logger LOG = LoggerFactory.getLogger(TaskManagement.class);

    /** The escalation ladder. */
    enum Step {
        ABORT_TASK(TaskMgmtRequest.ABORT_TASK, "ABORT TASK"),
        LUN_RESET(TaskMgmtRequest.LOGICAL_UNIT_RESET, "LOGICAL UNIT RESET"),
        TARGET_RESET(TaskMgmtRequest.TARGET_WARM_RESET, "TARGET WARM RESET"),
        SESSION_RECOVERY(0, "session recovery");

        final int function;
        final String text;

        Step(int function, String text) {
            this.function = function;
            this.text = text;
        }

        Step next() {
            return this == SESSION_RECOVERY ? this : values()[ordinal() + 1];
        }

        /** Whether this answer means the tasks the request was about are gone from the target. */
        boolean done(int response) {
            return response == TaskMgmtResponses.COMPLETE
                    || (this == ABORT_TASK && response == TaskMgmtResponses.TASK_DOES_NOT_EXIST);
        }
    }

    /** A task management request on the wire. */
    static final class Request extends Task {
        final Step step;
        final long lun;
        /** The command an ABORT TASK is about; for resets, the one that led to them (or null when asked for). */
        final CommandTask subject;
        /** Completed when an explicitly asked-for reset is answered. */
        final CompletableFuture<Void> asked;
        /** The tag an ABORT TASK refers to: the subject's attempt when it was sent. */
        final int refItt;

        Request(Step step, long lun, CommandTask subject, CompletableFuture<Void> asked) {
            this.step = step;
            this.lun = lun;
            this.subject = subject;
            this.asked = asked;
            this.refItt = subject == null ? Bhs.RESERVED_TAG : subject.itt;
        }

        @Override
        void fail(Throwable cause) {
            if (asked != null) {
                asked.completeExceptionally(cause);
            }
        }

        @Override
        String describe() {
            return switch (step) {
                case ABORT_TASK -> step.text + " for " + subject.describe();
                case LUN_RESET -> step.text + " of LUN " + lun;
                default -> step.text; // TARGET WARM RESET is about no LUN
            };
        }
    }

    private final SessionImpl session;
    /** LUNs with a LOGICAL UNIT RESET under way: their commands need no abort of their own. */
    private final Set<Long> resettingLuns = new HashSet<>();
    private boolean resettingTarget;
    /**
     * Tags of requests given up after their timeout, on the current connection: a target may still
     * answer them (RFC 7143 sets no time limit), and that late answer is no protocol error. Bounded.
     */
    private final ArrayDeque<Integer> expiredTags = new ArrayDeque<>();
    private static final int EXPIRED_TAGS_KEPT = 32;

    TaskManagement(SessionImpl session) {
        this.session = session;
    }

    /** A command's timeout passed: find out whether the target still runs it. */
    void commandTimedOut(CommandTask c) {
        c.timedOut = true;
        if (resettingTarget || resettingLuns.contains(c.scsi.lun())) {
            return; // a reset under way ends it too
        }
        LOG.warn("{}: {} timed out after {} s (node.session.scsi.cmd_timeout); sending ABORT TASK", session.where,
                c.describe(), session.settings().commandTimeout().toSeconds());
        send(Step.ABORT_TASK, c.scsi.lun(), c, null);
    }

    /** A reset a caller asked for (a tool resetting a LUN or the target). */
    CompletableFuture<Void> reset(Step step, long lun) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        send(step, lun, null, f);
        return f;
    }

    private void send(Step step, long lun, CommandTask subject, CompletableFuture<Void> asked) {
        if (step == Step.SESSION_RECOVERY) {
            session.dropConnection(new IscsiException(IscsiError.REQ_TIMEDOUT, "task management did not end "
                    + (subject == null ? "the tasks of LUN " + lun : subject.describe()) + "; recovering the session"));
            return;
        }
        ConnectionContext c = session.current();
        if (c == null || !session.roomForRequest()) {
            IscsiException e = new IscsiException(IscsiError.BUSY, session.where + ": no " + (c == null ? "connection" : "free task tag")
                    + " for " + step.text);
            if (asked != null) {
                session.defer(() -> asked.completeExceptionally(e));
                return;
            }
            send(Step.SESSION_RECOVERY, lun, subject, null);
            return;
        }
        Request r = new Request(step, lun, subject, asked);
        session.tasks().add(r);
        r.deadline = System.nanoTime() + timeout(step).toNanos();
        if (step == Step.LUN_RESET) {
            resettingLuns.add(lun);
        } else if (step == Step.TARGET_RESET) {
            resettingTarget = true;
        }
        boolean abort = step == Step.ABORT_TASK;
        if (abort) {
            session.counters().abortTask();
        }
        c.send(new TaskMgmtRequest(true, step.function, abort || step == Step.LUN_RESET ? LunField.encode(lun) : 0L, r.itt,
                abort ? subject.itt : Bhs.RESERVED_TAG, session.window().current(), c.expStatSn,
                abort ? subject.cmdSn : 0, abort ? subject.expectedDataSn : 0));
    }

    private Duration timeout(Step step) {
        SessionSettings.RecoverySettings r = session.settings().recovery();
        return switch (step) {
            case ABORT_TASK -> r.abortTimeout();
            case LUN_RESET -> r.luResetTimeout();
            default -> r.tgtResetTimeout();
        };
    }

    /** The target answered a request. */
    void answered(Request r, int response) {
        session.tasks().remove(r);
        ended(r);
        if (r.step.done(response)) {
            LOG.info("{}: {} done ({})", session.where, r.describe(), TaskMgmtResponses.text(response));
            switch (r.step) {
                case ABORT_TASK -> session.taskGone(r.subject, r.refItt, "aborted (ABORT TASK)");
                case LUN_RESET -> session.tasksGone(r.lun, "LOGICAL UNIT RESET");
                default -> session.tasksGone(null, "TARGET WARM RESET");
            }
            if (r.asked != null) {
                session.defer(() -> r.asked.complete(null));
            }
            return;
        }
        notDone(r, r.describe() + " answered " + TaskMgmtResponses.text(response),
                response == TaskMgmtResponses.NOT_SUPPORTED ? IscsiError.OP_NOT_SUPP : IscsiError.TRANS);
    }

    /** The target rejected a request (a Reject PDU naming its tag): as an answer that is not success. */
    void rejected(Request r, String reason) {
        session.tasks().remove(r);
        ended(r);
        notDone(r, r.describe() + " rejected by the target: " + reason, IscsiError.TRANS);
    }

    /** The request did not end its tasks: the caller who asked hears why, a timed-out command's escalation goes on. */
    private void notDone(Request r, String why, IscsiError error) {
        if (r.asked != null) {
            IscsiException e = new IscsiException(error, session.where + ": " + why);
            session.defer(() -> r.asked.completeExceptionally(e));
            return;
        }
        LOG.warn("{}: {}; escalating to {}", session.where, why, r.step.next().text);
        send(r.step.next(), r.lun, r.subject, null);
    }

    /** Whether {@code itt} is the tag of a request given up after its timeout (each late answer is taken once). */
    boolean lateAnswer(int itt) {
        return expiredTags.remove(itt);
    }

    /** A request was not answered within its timeout. */
    void expired(Request r) {
        if (expiredTags.size() == EXPIRED_TAGS_KEPT) {
            expiredTags.removeFirst();
        }
        expiredTags.addLast(r.itt);
        session.tasks().remove(r);
        ended(r);
        String why = r.describe() + " not answered within " + timeout(r.step).toSeconds() + " s";
        if (r.asked != null) {
            IscsiException e = new IscsiException(IscsiError.REQ_TIMEDOUT, session.where + ": " + why);
            session.defer(() -> r.asked.completeExceptionally(e));
            return;
        }
        LOG.warn("{}: {}; escalating to {}", session.where, why, r.step.next().text);
        send(r.step.next(), r.lun, r.subject, null);
    }

    private void ended(Request r) {
        if (r.step == Step.LUN_RESET) {
            resettingLuns.remove(r.lun);
        } else if (r.step == Step.TARGET_RESET) {
            resettingTarget = false;
        }
    }

    /** The connection is gone, and every request on it. */
    void connectionLost() {
        resettingLuns.clear();
        resettingTarget = false;
        expiredTags.clear();
    }
}

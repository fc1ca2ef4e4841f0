package org.kiscsi.transport.iser.testtarget;

import java.util.ArrayList;
import java.util.List;

import org.kiscsi.protocol.pdu.ScsiCommand;
import org.kiscsi.protocol.pdu.TaskMgmtRequest;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * The SCSI commands a connection of the test target holds back (not started, or their data moved and
 * their response waiting), and which of them a task management function ends. A held command has
 * two ways out: {@code release} finishes it (moves what data is left, answers); {@code abort} does
 * what an abort leaves to do before the target may answer the task management request (a read whose
 * data transfer is under way finishes it, so that data is in flight right ahead of the response).
 */
final class HeldCommands {
    /** Work on the target's thread that may post to the queue pair. */
    interface Action {
        void run() throws VerbsException;
    }

    record Held(ScsiCommand command, Action release, Action abort) {
    }

    /** Task management responses (RFC 7143 section 11.6.1). */
    static final int COMPLETE = 0;
    static final int TASK_DOES_NOT_EXIST = 1;
    static final int NOT_SUPPORTED = 5;

    private final List<Held> held = new ArrayList<>();

    synchronized void add(Held h) {
        held.add(h);
    }

    synchronized int size() {
        return held.size();
    }

    /** Takes every held command out (to be released). */
    synchronized List<Held> takeAll() {
        List<Held> all = new ArrayList<>(held);
        held.clear();
        return all;
    }

    /**
     * Takes out the held commands {@code t} ends: ABORT TASK the one it names, ABORT TASK SET, CLEAR TASK
     * SET and LOGICAL UNIT RESET those of its LUN, TARGET WARM RESET all. Null for a function this
     * target does not perform (CLEAR ACA, TARGET COLD RESET, TASK REASSIGN).
     */
    synchronized List<Held> endedBy(TaskMgmtRequest t) {
        List<Held> ended = new ArrayList<>();
        for (Held h : held) {
            boolean ends = switch (t.function()) {
                case TaskMgmtRequest.ABORT_TASK -> h.command().itt() == t.referencedTaskTag() && h.command().lun() == t.lun();
                case TaskMgmtRequest.ABORT_TASK_SET, TaskMgmtRequest.CLEAR_TASK_SET, TaskMgmtRequest.LOGICAL_UNIT_RESET ->
                        h.command().lun() == t.lun();
                case TaskMgmtRequest.TARGET_WARM_RESET -> true;
                default -> false;
            };
            if (ends) {
                ended.add(h);
            }
        }
        if (!performs(t.function())) {
            return null;
        }
        held.removeAll(ended);
        return ended;
    }

    static boolean performs(int function) {
        return switch (function) {
            case TaskMgmtRequest.ABORT_TASK, TaskMgmtRequest.ABORT_TASK_SET, TaskMgmtRequest.CLEAR_TASK_SET,
                    TaskMgmtRequest.LOGICAL_UNIT_RESET, TaskMgmtRequest.TARGET_WARM_RESET -> true;
            default -> false;
        };
    }

    /**
     * The answer to {@code t} that ended {@code ended} (null: not performed). An ABORT TASK for a task
     * the target does not hold says the task does not exist (it completed, or never came).
     */
    static int response(TaskMgmtRequest t, List<Held> ended) {
        if (ended == null) {
            return NOT_SUPPORTED;
        }
        return t.function() == TaskMgmtRequest.ABORT_TASK && ended.isEmpty() ? TASK_DOES_NOT_EXIST : COMPLETE;
    }
}

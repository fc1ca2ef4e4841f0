package org.kiscsi.engine.internal;

import java.util.concurrent.CompletableFuture;

import org.kiscsi.api.scsi.DataDirection;
import org.kiscsi.api.scsi.ScsiResult;
import org.kiscsi.api.scsi.ScsiTask;

/** A SCSI command in flight: the caller's task, its future and the progress of its data. */
final class CommandTask extends Task {
    final ScsiTask scsi;
    final CompletableFuture<ScsiResult> future;
    /** How many unit attentions this command has been retried after. */
    int unitAttentionRetries;

    /** When the command first went to the target (System.nanoTime()), for its timeout across re-sends. */
    long firstSent;
    /** Its command timeout passed: task management is finding out whether the target still runs it. */
    boolean timedOut;
    /** It went to a target that may have run it: sending it again needs {@link ScsiTask#repeatable()}. */
    boolean mayHaveRun;
    /** Times it went to a target, every attempt counted. */
    int sends;
    /** Times it had to go again because its connection, or its task at the target, was lost (unit attentions not counted). */
    int retries;
    /** Why its last attempt ended without an answer (a connection loss, a reset), for the message when it fails. */
    String lastLoss;

    // per attempt
    int cmdSn;
    int expectedDataSn;
    int bytesIn;
    /** Data-In offset the transport was told to place directly into the caller's buffer, or -1. */
    int placedOffset = -1;

    CommandTask(ScsiTask scsi, CompletableFuture<ScsiResult> future) {
        this.scsi = scsi;
        this.future = future;
    }

    void resetAttempt() {
        expectedDataSn = 0;
        bytesIn = 0;
        placedOffset = -1;
    }

    boolean reads() {
        return scsi.direction() == DataDirection.IN || scsi.direction() == DataDirection.BIDIRECTIONAL;
    }

    boolean writes() {
        return scsi.direction() == DataDirection.OUT || scsi.direction() == DataDirection.BIDIRECTIONAL;
    }

    @Override
    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }

    @Override
    String describe() {
        return ScsiNames.opcode(scsi.cdb()[0] & 0xFF) + " to LUN " + scsi.lun();
    }
}

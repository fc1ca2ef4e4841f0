package org.kiscsi.scsi;

import org.kiscsi.api.scsi.ScsiTask;
import org.kiscsi.api.scsi.Sense;

/** Told by {@link CommandRunner} of each UNIT ATTENTION it met, before it retries the command. */
@FunctionalInterface
interface UnitAttentionSink {
    UnitAttentionSink NONE = (task, sense) -> { };

    void unitAttention(ScsiTask task, Sense sense);
}

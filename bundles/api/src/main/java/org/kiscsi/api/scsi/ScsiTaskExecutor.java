package org.kiscsi.api.scsi;

import java.util.concurrent.CompletionStage;

/**
 * Sends SCSI commands to a target and completes with their results. An iSCSI session is one; the
 * block-device layer sits on top of it and knows nothing of iSCSI.
 *
 * <p>{@link #execute} never blocks: commands beyond the queue depth wait inside the executor. A stage
 * completes exceptionally (with an {@link org.kiscsi.api.IscsiException}) only when the command
 * could not be carried out — timeout, session lost; a SCSI status other than GOOD is a normal
 * result.
 */
public interface ScsiTaskExecutor {
    CompletionStage<ScsiResult> execute(ScsiTask task);

    /** How many commands this executor keeps in flight at most. */
    int queueDepth();

    /**
     * Whether this executor itself sends a command again after a UNIT ATTENTION (the target did not run
     * it) and reports the changes that need a rescan on its own channel (kiscsi's sessions do both, see
     * {@link org.kiscsi.api.session.SessionListener#rescanNeeded}). Layers above then must not retry too;
     * they see a UNIT ATTENTION only when the executor gave up. Default: false. @since 1.2
     */
    default boolean retriesUnitAttentions() {
        return false;
    }
}

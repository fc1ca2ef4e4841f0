package org.kiscsi.api.scsi;

import org.osgi.annotation.versioning.ProviderType;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * Sends SCSI commands to a target and completes with their results. An iSCSI session is one; the
 * block-device layer sits on top of it and knows nothing of iSCSI.
 *
 * <p>{@link #execute} never blocks: commands beyond the queue depth wait inside the executor. A stage
 * completes exceptionally (with an {@link org.kiscsi.api.IscsiException}) only when the command
 * could not be carried out — timeout, session lost; a SCSI status other than GOOD is a normal
 * result.
 */
@ProviderType
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

    /**
     * Sends LOGICAL UNIT RESET for {@code lun} and completes when the target has done it; commands of
     * that LUN in flight end with it (repeatable ones are sent again, others fail saying they may have
     * executed). Fails with an {@link IscsiException} naming the target's answer when it refuses.
     * Default: not supported. @since 1.3
     */
    default CompletionStage<Void> resetLogicalUnit(long lun) {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.OP_NOT_SUPP,
                getClass().getSimpleName() + " cannot reset a logical unit"));
    }

    /**
     * Sends TARGET WARM RESET and completes when the target has done it; every command in flight ends
     * with it, as for {@link #resetLogicalUnit}. Many targets refuse it (tgtd answers "not supported").
     * Default: not supported. @since 1.3
     */
    default CompletionStage<Void> resetTarget() {
        return CompletableFuture.failedFuture(new IscsiException(IscsiError.OP_NOT_SUPP,
                getClass().getSimpleName() + " cannot reset a target"));
    }
}

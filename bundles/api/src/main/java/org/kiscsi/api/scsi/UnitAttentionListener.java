package org.kiscsi.api.scsi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears the UNIT ATTENTION conditions a {@link BlockDevice} met on its commands. The device retries the
 * command that got the unit attention, so callers see no failure; this is how they still learn of it.
 * Called from kiscsi's own threads: return quickly, never block.
 */
@ConsumerType
public interface UnitAttentionListener {
    /**
     * Any unit attention on {@code lun} (power on/reset, mode parameters changed, reservations preempted, ...).
     * Where the session owns unit attentions ({@link ScsiTaskExecutor#retriesUnitAttentions}), only those it
     * reports arrive: the ones that need a rescan.
     */
    default void unitAttention(long lun, Sense sense) {
    }

    /**
     * CAPACITY DATA HAS CHANGED (2A/09) or REPORTED LUNS DATA HAS CHANGED (3F/0E). For a capacity change
     * the device has re-read its capacity before this call.
     */
    default void rescanNeeded(long lun, Sense sense) {
    }
}

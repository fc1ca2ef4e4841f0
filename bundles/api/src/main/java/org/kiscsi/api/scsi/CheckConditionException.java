package org.kiscsi.api.scsi;

import java.util.Objects;

import org.kiscsi.api.IscsiError;

/**
 * A SCSI command ended with CHECK CONDITION. The message holds the decoded sense in words, e.g.
 * "session 3 LUN 1: READ(16) LBA 0x1000000, 8 blocks: CHECK CONDITION, ILLEGAL REQUEST: LOGICAL
 * BLOCK ADDRESS OUT OF RANGE (ASC 0x21 ASCQ 0x00)"; {@link #sense()} holds it for programs.
 *
 * <p>{@link #error()} follows the sense key: ILLEGAL REQUEST is {@link IscsiError#INVAL}, DATA PROTECT
 * {@link IscsiError#ACCESS}, NOT READY, UNIT ATTENTION and ABORTED COMMAND {@link IscsiError#AGAIN},
 * anything else {@link IscsiError#GENERIC}.
 */
public class CheckConditionException extends ScsiStatusException {
    private static final long serialVersionUID = 1L;

    private final transient Sense sense;

    /**
     * @param context what failed and where, e.g. "session 3 LUN 1: READ(10) LBA 0x0, 8 blocks"
     * @param sense the decoded sense data
     * @param opcode the CDB's operation code
     * @param lun the logical unit
     */
    public CheckConditionException(String context, Sense sense, int opcode, long lun) {
        super(errorOf(Objects.requireNonNull(sense, "sense").key()),
                context + ": CHECK CONDITION, " + sense.text(), ScsiResult.CHECK_CONDITION, opcode, lun);
        this.sense = sense;
    }

    public Sense sense() {
        return sense;
    }

    private static IscsiError errorOf(SenseKey key) {
        return switch (key) {
            case ILLEGAL_REQUEST -> IscsiError.INVAL;
            case DATA_PROTECT -> IscsiError.ACCESS;
            case NOT_READY, UNIT_ATTENTION, ABORTED_COMMAND -> IscsiError.AGAIN;
            default -> IscsiError.GENERIC;
        };
    }
}

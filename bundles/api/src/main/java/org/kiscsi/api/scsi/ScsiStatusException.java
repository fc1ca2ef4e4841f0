package org.kiscsi.api.scsi;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * A SCSI command ended with a status other than GOOD (BUSY, RESERVATION CONFLICT, TASK SET FULL, ...).
 * A CHECK CONDITION arrives as the subclass {@link CheckConditionException}, which carries the sense.
 *
 * <p>{@link #error()} classifies it for exit codes: BUSY and TASK SET FULL are {@link IscsiError#BUSY},
 * RESERVATION CONFLICT is {@link IscsiError#ACCESS}, anything else {@link IscsiError#GENERIC}.
 */
public class ScsiStatusException extends IscsiException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int opcode;
    private final long lun;

    /**
     * @param context what failed and where, e.g. "session 3 LUN 1: WRITE(10) LBA 0x10, 8 blocks"
     * @param status the SCSI status byte
     * @param opcode the CDB's operation code
     * @param lun the logical unit
     */
    public ScsiStatusException(String context, int status, int opcode, long lun) {
        this(errorOf(status), context + ": " + statusName(status), status, opcode, lun);
    }

    protected ScsiStatusException(IscsiError error, String message, int status, int opcode, long lun) {
        super(error, message);
        this.status = status;
        this.opcode = opcode;
        this.lun = lun;
    }

    /** The SCSI status byte. */
    public int status() {
        return status;
    }

    /** The operation code of the command that failed. */
    public int opcode() {
        return opcode;
    }

    public long lun() {
        return lun;
    }

    /** SAM-5's name of a status byte, e.g. "RESERVATION CONFLICT"; unknown ones as "status 0xNN". */
    public static String statusName(int status) {
        return switch (status) {
            case ScsiResult.GOOD -> "GOOD";
            case ScsiResult.CHECK_CONDITION -> "CHECK CONDITION";
            case ScsiResult.CONDITION_MET -> "CONDITION MET";
            case ScsiResult.BUSY -> "BUSY";
            case ScsiResult.RESERVATION_CONFLICT -> "RESERVATION CONFLICT";
            case ScsiResult.TASK_SET_FULL -> "TASK SET FULL";
            case ScsiResult.ACA_ACTIVE -> "ACA ACTIVE";
            case ScsiResult.TASK_ABORTED -> "TASK ABORTED";
            default -> String.format("status 0x%02X", status);
        };
    }

    private static IscsiError errorOf(int status) {
        return switch (status) {
            case ScsiResult.BUSY, ScsiResult.TASK_SET_FULL -> IscsiError.BUSY;
            case ScsiResult.RESERVATION_CONFLICT -> IscsiError.ACCESS;
            default -> IscsiError.GENERIC;
        };
    }
}

package org.kiscsi.api.scsi;

/**
 * How a SCSI command ended.
 *
 * @param status SCSI status byte (0 GOOD, 2 CHECK CONDITION, 8 BUSY, 0x18 RESERVATION CONFLICT, ...)
 * @param sense sense data for CHECK CONDITION (without the 2-byte length prefix), else empty
 * @param bytesIn bytes actually received into {@link ScsiTask#dataIn()}
 * @param residual residual count the target reported
 * @param residualKind whether that residual is an underflow or overflow
 */
public record ScsiResult(int status, byte[] sense, int bytesIn, int residual, Residual residualKind) {
    public static final int GOOD = 0x00;
    public static final int CHECK_CONDITION = 0x02;
    public static final int CONDITION_MET = 0x04;
    public static final int BUSY = 0x08;
    public static final int RESERVATION_CONFLICT = 0x18;
    public static final int TASK_SET_FULL = 0x28;
    public static final int ACA_ACTIVE = 0x30;
    public static final int TASK_ABORTED = 0x40;

    /** Residual kind from the SCSI Response's O and U bits. */
    public enum Residual { NONE, UNDERFLOW, OVERFLOW }

    public ScsiResult {
        sense = sense == null ? new byte[0] : sense;
    }

    public boolean isGood() {
        return status == GOOD || status == CONDITION_MET;
    }
}

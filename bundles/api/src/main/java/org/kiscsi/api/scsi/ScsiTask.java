package org.kiscsi.api.scsi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One SCSI command to send to a logical unit.
 *
 * @param lun the logical unit number; the executor puts it in the LUN field as {@link Lun} encodes it
 * @param cdb the command descriptor block (6 to 260 bytes)
 * @param direction which way data goes
 * @param dataOut data to send, from its position to its limit (OUT and BIDIRECTIONAL); not modified
 * @param dataIn where received data goes, from its position up to its limit (IN and BIDIRECTIONAL)
 * @param attribute task attribute, SIMPLE for ordinary I/O
 */
public record ScsiTask(long lun, byte[] cdb, DataDirection direction, ByteBuffer dataOut, ByteBuffer dataIn,
        TaskAttribute attribute) {
    public ScsiTask {
        Objects.requireNonNull(cdb, "cdb");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(attribute, "attribute");
        if (cdb.length < 6 || cdb.length > 260) {
            throw new IllegalArgumentException("CDB of " + cdb.length + " bytes");
        }
        if ((direction == DataDirection.OUT || direction == DataDirection.BIDIRECTIONAL) && dataOut == null) {
            throw new IllegalArgumentException("direction " + direction + " without data to send");
        }
        if ((direction == DataDirection.IN || direction == DataDirection.BIDIRECTIONAL) && dataIn == null) {
            throw new IllegalArgumentException("direction " + direction + " without a buffer to receive into");
        }
    }

    /** A command that moves no data. */
    public static ScsiTask noData(long lun, byte[] cdb) {
        return new ScsiTask(lun, cdb, DataDirection.NONE, null, null, TaskAttribute.SIMPLE);
    }

    public static ScsiTask read(long lun, byte[] cdb, ByteBuffer into) {
        return new ScsiTask(lun, cdb, DataDirection.IN, null, into, TaskAttribute.SIMPLE);
    }

    public static ScsiTask write(long lun, byte[] cdb, ByteBuffer from) {
        return new ScsiTask(lun, cdb, DataDirection.OUT, from, null, TaskAttribute.SIMPLE);
    }

    /** Bytes the initiator expects to receive. */
    public int expectedInLength() {
        return dataIn == null ? 0 : dataIn.remaining();
    }

    /** Bytes the initiator will send. */
    public int outLength() {
        return dataOut == null ? 0 : dataOut.remaining();
    }
}

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
 * @param repeatable whether the command may be sent again when the executor cannot tell if it ran
 *        (its connection failed while it was in flight and the session recovered): true for reads and
 *        plain writes, false for commands whose second run differs from the first (see
 *        {@link #repeatableByDefault}). A command that is not repeatable fails instead, saying it may
 *        have executed. @since 1.3
 */
public record ScsiTask(long lun, byte[] cdb, DataDirection direction, ByteBuffer dataOut, ByteBuffer dataIn,
        TaskAttribute attribute, boolean repeatable) {
    /** A task whose {@link #repeatable} marker follows its operation code ({@link #repeatableByDefault}). */
    public ScsiTask(long lun, byte[] cdb, DataDirection direction, ByteBuffer dataOut, ByteBuffer dataIn,
            TaskAttribute attribute) {
        this(lun, cdb, direction, dataOut, dataIn, attribute, repeatableByDefault(cdb));
    }

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

    /**
     * Whether a command with this CDB may run twice with the effect of once. Not so: COMPARE AND WRITE
     * (0x89, the second compare fails or, worse, matches what the first wrote), PERSISTENT RESERVE OUT
     * (0x5F: a second REGISTER or PREEMPT acts on what the first left), and the XOR and ORWRITE commands
     * (0x50 XDWRITE(10), 0x51 XPWRITE(10), 0x53 XDWRITEREAD(10), 0x8B ORWRITE(16)), which combine new data
     * with what is stored. @since 1.3
     */
    public static boolean repeatableByDefault(byte[] cdb) {
        if (cdb == null || cdb.length == 0) {
            return true; // the canonical constructor refuses such a CDB with a clearer message
        }
        return switch (cdb[0] & 0xFF) {
            case 0x89, 0x5F, 0x50, 0x51, 0x53, 0x8B -> false;
            default -> true;
        };
    }

    /** This task with the given {@link #repeatable} marker. @since 1.3 */
    public ScsiTask withRepeatable(boolean repeatable) {
        return new ScsiTask(lun, cdb, direction, dataOut, dataIn, attribute, repeatable);
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

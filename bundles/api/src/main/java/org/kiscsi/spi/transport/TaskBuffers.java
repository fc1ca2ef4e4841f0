package org.kiscsi.spi.transport;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.kiscsi.api.scsi.DataDirection;

/**
 * A SCSI task's data buffers, handed to the transport by {@link TransportConnection#taskStarted}
 * before its command PDU is sent. A transport with {@link TransportCapability#DIRECT_DATA_PLACEMENT}
 * registers them (an RDMA transport advertises their STags in the command's transport header) and
 * moves the data itself; others may ignore them.
 *
 * <p>Ownership: the buffers stay the caller's. The transport may read {@code dataOut} and write
 * {@code dataIn} (from their positions, for the given lengths, never moving position or limit)
 * until {@link TransportConnection#taskEnded} for the same {@code itt} returns; after that it must
 * not touch them.
 *
 * @param itt the Initiator Task Tag of the command (unique among the connection's tasks in flight)
 * @param direction which way the data moves
 * @param dataOut the data to write, from its position; null when {@code outLength} is 0
 * @param outLength bytes to write
 * @param dataIn where read data goes, from its position; null when {@code inLength} is 0
 * @param inLength bytes expected to be read
 * @param unsolicitedLength the first bytes of {@code dataOut} the engine sends itself, as immediate
 *        data and unsolicited Data-Out PDUs (only to a transport declaring
 *        {@link TransportCapability#UNSOLICITED_DATA_BY_SEND}; 0 otherwise): a direct data placement
 *        transport places only the rest, {@code [unsolicitedLength, outLength)}
 */
public record TaskBuffers(int itt, DataDirection direction, ByteBuffer dataOut, int outLength, ByteBuffer dataIn,
        int inLength, int unsolicitedLength) {
    /** A task whose data the transport moves in full (no unsolicited data). */
    public TaskBuffers(int itt, DataDirection direction, ByteBuffer dataOut, int outLength, ByteBuffer dataIn, int inLength) {
        this(itt, direction, dataOut, outLength, dataIn, inLength, 0);
    }

    public TaskBuffers {
        Objects.requireNonNull(direction, "direction");
        if (outLength < 0 || inLength < 0) {
            throw new IllegalArgumentException("negative length: out " + outLength + ", in " + inLength);
        }
        if (outLength > 0 && (dataOut == null || dataOut.remaining() < outLength)) {
            throw new IllegalArgumentException("dataOut holds fewer than " + outLength + " bytes");
        }
        if (inLength > 0 && (dataIn == null || dataIn.remaining() < inLength)) {
            throw new IllegalArgumentException("dataIn has room for fewer than " + inLength + " bytes");
        }
        if (unsolicitedLength < 0 || unsolicitedLength > outLength) {
            throw new IllegalArgumentException("unsolicited length " + unsolicitedLength + " outside 0.." + outLength);
        }
    }
}

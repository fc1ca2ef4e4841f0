package org.kiscsi.spi.transport;

/**
 * What a transport with {@link TransportCapability#DIRECT_DATA_PLACEMENT} moved for one task: the
 * engine reports these byte counts to the caller, as it counts Data-In bytes itself otherwise.
 *
 * @param bytesIn bytes placed into the task's {@link TaskBuffers#dataIn()}
 * @param bytesOut bytes taken from its {@link TaskBuffers#dataOut()}
 */
public record TaskTransfer(int bytesIn, int bytesOut) {
    /** Nothing moved by the transport (every transport without direct data placement). */
    public static final TaskTransfer NONE = new TaskTransfer(0, 0);

    public TaskTransfer {
        if (bytesIn < 0 || bytesOut < 0) {
            throw new IllegalArgumentException("negative byte count: in " + bytesIn + ", out " + bytesOut);
        }
    }
}

package org.kiscsi.spi.transport;

/** Things a transport may be able to do; the engine adapts to what is declared. */
public enum TransportCapability {
    /** Connects to IPv6 portals (including link-local ones with a zone id). */
    IPV6,
    /** Can bind the local end to the iface record's {@code iface.ipaddress}. */
    BIND_LOCAL_ADDRESS,
    /**
     * Carries HeaderDigest/DataDigest CRC32C (iSER does not: RDMA has its own integrity). Without it
     * the engine offers {@code None} only, and refuses a record that allows nothing else.
     */
    DIGESTS,
    /**
     * Moves SCSI data by direct data placement (iSER RDMA Read/Write) from and into the buffers
     * announced by {@link TransportConnection#taskStarted}: the engine offers ImmediateData=No and
     * InitialR2T=Yes, sends no data segment with a command and no Data-Out (unless the transport
     * also declares {@link #UNSOLICITED_DATA_BY_SEND}), treats an R2T or a
     * Data-In reaching it as a protocol error, and takes the bytes moved from
     * {@link TransportConnection#taskEnded}.
     */
    DIRECT_DATA_PLACEMENT,
    /**
     * With {@link #DIRECT_DATA_PLACEMENT}: the engine negotiates ImmediateData and InitialR2T as the
     * record asks and sends immediate data (with the command) and unsolicited Data-Out PDUs itself,
     * as it does on TCP (iSER carries them in Sends); the transport places only
     * the solicited rest, from {@link TaskBuffers#unsolicitedLength()}. Data segments stay within
     * {@link TransportConnection#maxSendDataSegmentLength()} too.
     */
    UNSOLICITED_DATA_BY_SEND,
    /**
     * Wants each SCSI task's buffers announced ({@link TransportConnection#taskStarted}) and their end
     * ({@link TransportConnection#taskEnded}); implied by {@link #DIRECT_DATA_PLACEMENT}. Without
     * either, the engine calls neither, so a transport that ignores them costs nothing per command.
     */
    TASK_BUFFERS,
    /** Places received data segments straight into buffers chosen by the listener (fewer copies). */
    RECEIVE_PLACEMENT
}

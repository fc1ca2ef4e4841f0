package org.kiscsi.spi.transport;

/** Things a transport may be able to do; the engine adapts to what is declared. */
public enum TransportCapability {
    /** Connects to IPv6 portals (including link-local ones with a zone id). */
    IPV6,
    /** Can bind the local end to the iface record's {@code iface.ipaddress}. */
    BIND_LOCAL_ADDRESS,
    /** Carries HeaderDigest/DataDigest CRC32C (iSER does not: RDMA has its own integrity). */
    DIGESTS,
    /**
     * Moves SCSI data by direct data placement (iSER RDMA Read/Write): the engine sends no Data-Out
     * and expects no Data-In or R2T; buffers come from {@link TransportConnection#allocate}.
     */
    DIRECT_DATA_PLACEMENT,
    /** Places received data segments straight into buffers chosen by the listener (fewer copies). */
    RECEIVE_PLACEMENT
}

package org.kiscsi.transport.iser.verbs;

/** What a memory registration allows (IBV_ACCESS_*); local reads are always allowed. */
public enum Access {
    /** The HCA may write it: receive buffers, RDMA Read targets. */
    LOCAL_WRITE,
    /** The peer may RDMA-read it. */
    REMOTE_READ,
    /** The peer may RDMA-write it (needs LOCAL_WRITE too). */
    REMOTE_WRITE,
    /**
     * Memory windows may be bound over it (IBV_ACCESS_MW_BIND): a window then grants the peer remote
     * access to a part of it, under an rkey of its own. A window granting REMOTE_WRITE needs the
     * region's LOCAL_WRITE.
     */
    MW_BIND
}

package org.kiscsi.transport.iser.verbs;

/** What a memory registration allows (IBV_ACCESS_*); local reads are always allowed. */
public enum Access {
    /** The HCA may write it: receive buffers, RDMA Read targets. */
    LOCAL_WRITE,
    /** The peer may RDMA-read it. */
    REMOTE_READ,
    /** The peer may RDMA-write it (needs LOCAL_WRITE too). */
    REMOTE_WRITE
}

package org.kiscsi.transport.iser.verbs;

import java.net.InetSocketAddress;

/**
 * A connected reliable-connected queue pair. Work requests complete in order on its completion
 * queue; a failure takes it to the error state, which flushes the rest and ends the connection.
 */
public interface QueuePair {
    int qpNumber();

    InetSocketAddress localAddress();

    InetSocketAddress remoteAddress();

    /** The peer's CM private data (the REP's for the connecting side, the REQ's for the listener). */
    byte[] peerPrivateData();

    /**
     * Posts a receive buffer for one incoming Send.
     *
     * @throws VerbsException {@code RESOURCE} when the receive queue is full
     */
    void postRecv(long wrId, Sge sge) throws VerbsException;

    /**
     * Posts a send work request.
     *
     * @throws VerbsException {@code RESOURCE} when the send queue is full
     */
    void postSend(SendRequest request) throws VerbsException;

    /**
     * Posts a bind of type 2 memory {@code window} over {@code [address, address+length)} of
     * {@code region} (IBV_WR_BIND_MW), granting the peer {@code access} (REMOTE_READ and/or
     * REMOTE_WRITE) through this queue pair only. The window must be invalid (never bound, or
     * invalidated since); it gets a new rkey, returned here at once (the key byte of the old one
     * incremented, as ibv_inc_rkey does), valid once the bind executes: a Send posted after it that
     * advertises the rkey reaches the peer after the bind. A failed bind completes with
     * {@link WorkCompletion.Status#MW_BIND_ERROR} and takes the queue pair to the error state; a
     * successful one completes only when {@code signaled}.
     *
     * @return the rkey the window has once bound
     * @throws VerbsException {@code RESOURCE} when the send queue is full, {@code INVALID} for a window
     *         or region of another protection domain, {@code UNSUPPORTED} when the binding has no windows
     */
    int postBind(long wrId, MemoryWindow window, MemoryRegion region, long address, int length,
            java.util.Set<Access> access, boolean signaled) throws VerbsException;

    /**
     * Posts a local invalidation of {@code rkey} (IBV_WR_LOCAL_INV), a bound window's: once it
     * completed (always signaled) the peer's RDMA accesses with that rkey are refused, and the window
     * may be bound again. Invalidating an rkey that is not valid completes with an error and takes the
     * queue pair to the error state.
     *
     * @throws VerbsException {@code RESOURCE} when the send queue is full, {@code UNSUPPORTED} when the
     *         binding has no windows
     */
    void postLocalInvalidate(long wrId, int rkey) throws VerbsException;

    /** Disconnects; outstanding work requests complete as flushed. */
    void disconnect();

    boolean connected();
}

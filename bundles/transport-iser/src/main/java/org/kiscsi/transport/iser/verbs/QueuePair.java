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

    /** Disconnects; outstanding work requests complete as flushed. */
    void disconnect();

    boolean connected();
}

package org.kiscsi.transport.iser.verbs;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

/** A listener's side of the connection manager: answers connection requests. */
@ConsumerType
public interface AcceptHandler {
    /**
     * A CM REQ arrived.
     *
     * @return the resources of the new queue pair and the REP's private data, or null to reject
     */
    Acceptance accept(InetSocketAddress from, byte[] privateData);

    /** The connection {@link #accept} took is established (RTU). */
    void established(QueuePair qp);
}

package org.kiscsi.transport.iser.verbs;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What to connect to, with which resources.
 *
 * @param remote the peer's address (port space TCP: iSER's port 3260 maps to IB service ID 0x1060CBC)
 * @param pd the protection domain of the queue pair
 * @param cq the completion queue for both sends and receives
 * @param attributes queue depths and CM parameters
 * @param privateData the CM REQ's private data (iSER: the 4-byte IBTA Annex A12 header)
 * @param timeout address and route resolution plus connection
 * @param events hears the connection end
 */
public record ConnectParams(InetSocketAddress remote, ProtectionDomain pd, CompletionQueue cq, QpAttributes attributes,
        byte[] privateData, Duration timeout, ConnectionEvents events) {
    public ConnectParams {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(pd, "pd");
        Objects.requireNonNull(cq, "cq");
        Objects.requireNonNull(attributes, "attributes");
        privateData = privateData.clone();
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(events, "events");
    }
}

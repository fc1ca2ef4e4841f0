package org.kiscsi.api.session;

import java.util.Map;

/**
 * A snapshot of one connection of a session.
 *
 * @param cid connection ID
 * @param state where the connection is
 * @param transport the transport's name ({@code tcp}, {@code iser}, ...)
 * @param localAddress local endpoint, as the transport writes it
 * @param remoteAddress remote endpoint (the portal connected to)
 * @param negotiated connection-scope keys as negotiated (MaxRecvDataSegmentLength, digests, ...)
 */
public record ConnectionInfo(int cid, ConnectionState state, String transport, String localAddress,
        String remoteAddress, Map<String, String> negotiated) {
    public ConnectionInfo {
        negotiated = Map.copyOf(negotiated);
    }
}

package org.kiscsi.spi.transport;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Receives what a connection delivers. Called on the transport's I/O threads, one call at a time per
 * connection: implementations must return quickly and never block.
 *
 * <p>Implemented by the engine, not by transports.
 */
@ProviderType
public interface TransportListener {
    /** A whole PDU arrived; the listener owns it and must release it. */
    void received(PduBuffer pdu);

    /**
     * The connection closed. {@code cause} is null for an orderly close by this side, an
     * {@link org.kiscsi.api.IscsiException} for a framing or protocol error (saying what was wrong
     * and where) or the I/O error that broke the connection; a close by the peer is an
     * {@code IscsiException} of class TRANS.
     */
    void closed(Throwable cause);

    /**
     * Offered by transports with {@link TransportCapability#RECEIVE_PLACEMENT} once a header is in:
     * where the data segment of that PDU should go. Returning a buffer with at least
     * DataSegmentLength bytes remaining lets the transport write the data there directly; the
     * delivered PDU's {@link PduBuffer#data()} is then a view of it. Null (the default) lets the
     * transport choose.
     */
    default ByteBuffer placementFor(ByteBuffer header) {
        return null;
    }
}

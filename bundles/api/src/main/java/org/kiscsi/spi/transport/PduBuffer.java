package org.kiscsi.spi.transport;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One iSCSI PDU in memory owned by a transport: its header (the 48-byte BHS followed by any AHS)
 * and its data segment. Padding and digests are not in here: the transport adds them on the wire.
 *
 * <p>Ownership: a buffer from {@link TransportConnection#allocate} belongs to its caller until it is
 * passed to {@link TransportConnection#send}, which takes it over and releases it when written. A
 * buffer delivered by {@link TransportListener#received} belongs to the listener, which must
 * {@link #release()} it once done. Releasing twice is an error.
 */
@ConsumerType
public interface PduBuffer {
    /** BHS (48 bytes) and AHS; position 0, limit = header length. */
    ByteBuffer header();

    /** The data segment; position 0, limit = DataSegmentLength. Empty when there is none. */
    ByteBuffer data();

    /**
     * Whether the data segment passed its data digest: always true when no data digest is in use.
     * A PDU failing it is still delivered (the header was sound), so the engine can reject it as
     * RFC 7143 section 7.8 asks rather than lose the connection.
     */
    default boolean dataDigestOk() {
        return true;
    }

    /** Gives the memory back to the transport. */
    void release();
}

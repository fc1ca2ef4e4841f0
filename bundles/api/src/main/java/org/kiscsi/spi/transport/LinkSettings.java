package org.kiscsi.spi.transport;

/**
 * Connection settings that change the framing once login negotiated them.
 *
 * @param headerDigest CRC32C after every header
 * @param dataDigest CRC32C after every data segment
 * @param maxRecvDataSegmentLength the largest data segment this side accepts; a longer one is a
 *        protocol error reported through {@link TransportListener#closed}
 */
public record LinkSettings(boolean headerDigest, boolean dataDigest, int maxRecvDataSegmentLength) {
    /** Login phase: no digests, RFC 7143's 8192-byte default limit. */
    public static final LinkSettings LOGIN = new LinkSettings(false, false, 8192);

    public LinkSettings {
        if (maxRecvDataSegmentLength < 512 || maxRecvDataSegmentLength > 16_777_215) {
            throw new IllegalArgumentException("MaxRecvDataSegmentLength " + maxRecvDataSegmentLength
                    + " outside 512..16777215");
        }
    }
}

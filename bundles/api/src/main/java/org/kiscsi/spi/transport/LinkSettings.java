package org.kiscsi.spi.transport;

import java.util.Map;
import java.util.Objects;

/**
 * Connection settings that change the framing once login negotiated them.
 *
 * @param headerDigest CRC32C after every header
 * @param dataDigest CRC32C after every data segment
 * @param maxRecvDataSegmentLength the largest data segment this side accepts; a longer one is a
 *        protocol error reported through {@link TransportListener#closed}
 * @param loginKeys the outcome of the transport's own {@link TransportConnection#loginKeys()}: the
 *        negotiated value of each negotiated key (its default when the target answered
 *        NotUnderstood or Reject and the default was acceptable), and the target's own value of each
 *        declarative key it declared; a key with no outcome is absent. Empty during login.
 */
public record LinkSettings(boolean headerDigest, boolean dataDigest, int maxRecvDataSegmentLength,
        Map<String, String> loginKeys) {
    /** Login phase: no digests, RFC 7143's 8192-byte default limit. */
    public static final LinkSettings LOGIN = new LinkSettings(false, false, 8192);

    public LinkSettings {
        if (maxRecvDataSegmentLength < 512 || maxRecvDataSegmentLength > 16_777_215) {
            throw new IllegalArgumentException("MaxRecvDataSegmentLength " + maxRecvDataSegmentLength
                    + " outside 512..16777215");
        }
        loginKeys = Map.copyOf(Objects.requireNonNull(loginKeys, "loginKeys"));
    }

    /** Settings without transport login keys. */
    public LinkSettings(boolean headerDigest, boolean dataDigest, int maxRecvDataSegmentLength) {
        this(headerDigest, dataDigest, maxRecvDataSegmentLength, Map.of());
    }
}

package org.kiscsi.transport.tcp;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * A byte stream from a peer that cannot be framed into PDUs: the connection was closed and this is
 * what {@link org.kiscsi.spi.transport.TransportListener#closed} received. Its class is
 * {@link IscsiError#TRANS}; the message names the peer, the PDU number and the stream offset.
 */
public final class FramingException extends IscsiException {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the stream. */
    public enum Problem {
        /** The header digest did not match BHS + AHS. */
        HEADER_DIGEST,
        /** DataSegmentLength above the negotiated MaxRecvDataSegmentLength. */
        DATA_SEGMENT_TOO_LONG,
        /** The AHS entries do not fill TotalAHSLength exactly. */
        AHS_INCONSISTENT,
        /** The stream ended inside a PDU. */
        TRUNCATED
    }

    private final Problem problem;
    private final String peer;
    private final long pduNumber;
    private final long pduOffset;

    /**
     * @param pduNumber 1-based number of the PDU on this connection's receive side
     * @param pduOffset stream offset (bytes received before it) where that PDU began
     */
    public FramingException(Problem problem, String peer, long pduNumber, long pduOffset, String detail, Throwable cause) {
        super(IscsiError.TRANS, describe(problem, peer, pduNumber, pduOffset, detail), cause);
        this.problem = problem;
        this.peer = peer;
        this.pduNumber = pduNumber;
        this.pduOffset = pduOffset;
    }

    private static String describe(Problem problem, String peer, long pduNumber, long pduOffset, String detail) {
        String what = switch (problem) {
            case HEADER_DIGEST -> "header digest mismatch";
            case DATA_SEGMENT_TOO_LONG -> "data segment too long";
            case AHS_INCONSISTENT -> "inconsistent AHS";
            case TRUNCATED -> "truncated PDU";
        };
        return what + " in PDU #" + pduNumber + " from " + peer + " (PDU starts at stream byte " + pduOffset + "): " + detail;
    }

    public Problem problem() {
        return problem;
    }

    /** The peer's address, as {@code TransportConnection.remoteAddress()} shows it. */
    public String peer() {
        return peer;
    }

    public long pduNumber() {
        return pduNumber;
    }

    public long pduOffset() {
        return pduOffset;
    }
}

package org.kiscsi.protocol;

import org.kiscsi.api.IscsiError;
import org.kiscsi.api.IscsiException;

/**
 * Bytes or a PDU sequence that break RFC 7143. {@link #kind()} says what class of problem it is;
 * the message says what exactly and where (which field, PDU, offset or peer).
 */
public class ProtocolException extends IscsiException {
    private static final long serialVersionUID = 1L;

    /** What class of protocol error. */
    public enum Kind {
        /** The stream ended or a PDU is shorter than its lengths say. */
        TRUNCATED,
        /** An opcode the initiator must never receive, or does not know. */
        UNKNOWN_OPCODE,
        /** A data segment longer than the negotiated MaxRecvDataSegmentLength. */
        SEGMENT_TOO_LONG,
        /** Header digest mismatch: the connection cannot be trusted to stay in step. */
        HEADER_DIGEST,
        /** Data digest mismatch: the PDU's data is corrupt. */
        DATA_DIGEST,
        /** A field holds a value the RFC does not allow here. */
        BAD_FIELD,
        /** A PDU out of sequence: unexpected ITT, StatSN, DataSN, offset, or stage. */
        SEQUENCE,
        /** Text negotiation broke the rules: malformed text, a value out of range, a key repeated. */
        NEGOTIATION
    }

    private final Kind kind;

    public ProtocolException(Kind kind, String message) {
        super(errorFor(kind), message);
        this.kind = kind;
    }

    public ProtocolException(Kind kind, IscsiError error, String message) {
        super(error, message);
        this.kind = kind;
    }

    private static IscsiError errorFor(Kind kind) {
        return kind == Kind.NEGOTIATION ? IscsiError.LOGIN : IscsiError.TRANS;
    }

    public Kind kind() {
        return kind;
    }
}

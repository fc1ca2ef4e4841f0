package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/**
 * One iSCSI PDU as a value: header fields and a data segment view (never copied by the codec).
 * {@link #writeHeader} fills a buffer of {@code 48 + ahsLength()} bytes; the data segment goes
 * after it as the transport frames it.
 */
public sealed interface Pdu permits InitiatorPdu, TargetPdu {
    Opcode opcode();

    /** AHS bytes this PDU carries (a multiple of 4). */
    default int ahsLength() {
        return 0;
    }

    /** Writes BHS and AHS into {@code header} at indices 0 .. 48 + ahsLength() - 1. */
    void writeHeader(ByteBuffer header);

    /** The data segment, position 0; empty when there is none. Not copied. */
    ByteBuffer data();

    ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    static ByteBuffer orEmpty(ByteBuffer b) {
        return b == null ? EMPTY : b;
    }
}

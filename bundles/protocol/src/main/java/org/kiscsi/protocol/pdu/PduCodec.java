package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * Turns a framed PDU (header = BHS + AHS, data segment) into a {@link Pdu} value and back. Data
 * segments are never copied: decoded PDUs hold views of the given buffer.
 */
public final class PduCodec {
    private PduCodec() {
    }

    /**
     * Decodes a PDU a target sent. Initiator opcodes and undefined ones are protocol errors.
     *
     * @param header BHS (index 0) followed by the AHS; limit = 48 + TotalAHSLength
     * @param data the data segment (no padding, no digest)
     */
    public static TargetPdu decodeTargetPdu(ByteBuffer header, ByteBuffer data) {
        Opcode op = checkFrame(header, data);
        if (op == null || op.isInitiatorOpcode()) {
            throw new ProtocolException(Kind.UNKNOWN_OPCODE, String.format(
                    "opcode 0x%02x is not one a target sends (ITT 0x%08x)", Bhs.opcodeBits(header), Bhs.itt(header)));
        }
        return switch (op) {
            case NOP_IN -> NopIn.decode(header, data);
            case SCSI_RESPONSE -> ScsiResponse.decode(header, data);
            case TASK_MGMT_RESPONSE -> TaskMgmtResponse.decode(header, data);
            case LOGIN_RESPONSE -> LoginResponse.decode(header, data);
            case TEXT_RESPONSE -> TextResponse.decode(header, data);
            case DATA_IN -> DataIn.decode(header, data);
            case LOGOUT_RESPONSE -> LogoutResponse.decode(header);
            case R2T -> R2t.decode(header);
            case ASYNC_MESSAGE -> AsyncMessage.decode(header, data);
            case REJECT -> Reject.decode(header, data);
            default -> throw new IllegalStateException(op.toString());
        };
    }

    /** Decodes a PDU an initiator sent (for test targets). */
    public static InitiatorPdu decodeInitiatorPdu(ByteBuffer header, ByteBuffer data) {
        Opcode op = checkFrame(header, data);
        if (op == null || !op.isInitiatorOpcode()) {
            throw new ProtocolException(Kind.UNKNOWN_OPCODE, String.format(
                    "opcode 0x%02x is not one an initiator sends (ITT 0x%08x)", Bhs.opcodeBits(header), Bhs.itt(header)));
        }
        return switch (op) {
            case NOP_OUT -> NopOut.decode(header, data);
            case SCSI_COMMAND -> ScsiCommand.decode(header, data);
            case TASK_MGMT_REQUEST -> TaskMgmtRequest.decode(header);
            case LOGIN_REQUEST -> LoginRequest.decode(header, data);
            case TEXT_REQUEST -> TextRequest.decode(header, data);
            case DATA_OUT -> DataOut.decode(header, data);
            case LOGOUT_REQUEST -> LogoutRequest.decode(header);
            case SNACK_REQUEST -> SnackRequest.decode(header);
            default -> throw new IllegalStateException(op.toString());
        };
    }

    private static Opcode checkFrame(ByteBuffer header, ByteBuffer data) {
        if (header.limit() < Bhs.LENGTH) {
            throw new ProtocolException(Kind.TRUNCATED, "PDU header of " + header.limit() + " bytes, a BHS has 48");
        }
        ByteBuffer at0 = header.duplicate().position(0);
        int ahs = Framing.ahsLength(at0);
        if (header.limit() != Bhs.LENGTH + ahs) {
            throw new ProtocolException(Kind.TRUNCATED, "PDU header of " + header.limit() + " bytes but TotalAHSLength says "
                    + (Bhs.LENGTH + ahs));
        }
        int dsl = Framing.dataSegmentLength(at0);
        if (data.remaining() != dsl) {
            throw new ProtocolException(Kind.TRUNCATED, "data segment of " + data.remaining() + " bytes but DataSegmentLength says " + dsl);
        }
        return Bhs.opcode(header);
    }

    /** Header bytes {@code pdu} needs (BHS + AHS). */
    public static int headerLength(Pdu pdu) {
        return Bhs.LENGTH + pdu.ahsLength();
    }

    /** Encodes a PDU into fresh buffers: for tests and the login phase, where PDUs are few. */
    public static ByteBuffer encodeHeader(Pdu pdu) {
        ByteBuffer h = ByteBuffer.allocate(headerLength(pdu));
        pdu.writeHeader(h);
        return h;
    }
}

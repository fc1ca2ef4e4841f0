package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;

/**
 * Reject (RFC 7143 section 11.17): the target refused a PDU; the data segment holds the rejected
 * PDU's header, so the initiator can tell which task it was.
 */
public record Reject(int reason, int statSn, int expCmdSn, int maxCmdSn, int dataSnOrR2tSn, ByteBuffer data)
        implements TargetPdu {
    public Reject {
        data = Pdu.orEmpty(data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.REJECT;
    }

    @Override
    public int itt() {
        return Bhs.RESERVED_TAG;
    }

    /** The ITT of the rejected PDU, when its header is in the data segment; else 0xffffffff. */
    public int rejectedItt() {
        return data.remaining() >= Bhs.LENGTH ? data.getInt(data.position() + 16) : Bhs.RESERVED_TAG;
    }

    /** Readable reason (RFC 7143 section 11.17.1). */
    public String reasonText() {
        return switch (reason) {
            case 0x02 -> "data (payload) digest error";
            case 0x03 -> "SNACK reject";
            case 0x04 -> "protocol error";
            case 0x05 -> "command not supported";
            case 0x06 -> "immediate command reject: too many immediate commands";
            case 0x07 -> "task in progress";
            case 0x08 -> "invalid data ACK";
            case 0x09 -> "invalid PDU field";
            case 0x0a -> "long operation reject: out of resources";
            case 0x0b -> "deprecated (negotiation reset)";
            case 0x0c -> "waiting for logout";
            default -> "reason 0x" + Integer.toHexString(reason);
        };
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, data.remaining());
        h.put(1, (byte) 0x80);
        h.put(2, (byte) reason);
        h.putInt(16, Bhs.RESERVED_TAG);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
        h.putInt(36, dataSnOrR2tSn);
    }

    static Reject decode(ByteBuffer h, ByteBuffer data) {
        return new Reject(Bhs.u8(h, 2), h.getInt(24), h.getInt(28), h.getInt(32), h.getInt(36), data);
    }
}

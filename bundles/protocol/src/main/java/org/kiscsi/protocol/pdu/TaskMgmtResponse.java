package org.kiscsi.protocol.pdu;

import java.nio.ByteBuffer;

import org.kiscsi.protocol.Opcode;
import org.kiscsi.protocol.ProtocolException;

/**
 * Task Management Function Response (RFC 7143 section 11.6). Response 0 function complete, 1 task
 * does not exist, 2 LUN does not exist, 3 task still allegiant, 4 reassignment not supported, 5
 * function not supported, 6 authorization failed, 255 rejected.
 */
public record TaskMgmtResponse(int response, int itt, int statSn, int expCmdSn, int maxCmdSn) implements TargetPdu {
    @Override
    public Opcode opcode() {
        return Opcode.TASK_MGMT_RESPONSE;
    }

    @Override
    public ByteBuffer data() {
        return Pdu.EMPTY;
    }

    @Override
    public void writeHeader(ByteBuffer h) {
        Bhs.begin(h, opcode(), false, 0, 0);
        h.put(1, (byte) 0x80);
        h.put(2, (byte) response);
        h.putInt(16, itt);
        h.putInt(24, statSn);
        h.putInt(28, expCmdSn);
        h.putInt(32, maxCmdSn);
    }

    /** Decodes one; a data segment is a protocol error (the response has none: DataSegmentLength 0 in RFC 7143 section 11.6). */
    static TaskMgmtResponse decode(ByteBuffer h, ByteBuffer data) {
        if (data.hasRemaining()) {
            throw new ProtocolException(ProtocolException.Kind.BAD_FIELD, String.format(
                    "Task Management Response for ITT 0x%08x with a data segment of %d bytes; it has none (RFC 7143 section 11.6)",
                    h.getInt(16), data.remaining()));
        }
        return new TaskMgmtResponse(Bhs.u8(h, 2), h.getInt(16), h.getInt(24), h.getInt(28), h.getInt(32));
    }
}

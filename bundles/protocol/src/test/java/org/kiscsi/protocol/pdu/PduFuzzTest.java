package org.kiscsi.protocol.pdu;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.protocol.PduStream;
import org.kiscsi.protocol.ProtocolException;

/**
 * The PDU decoder on a target's byte stream: BHS, AHS, data segments and digests as {@link PduStream}
 * frames them, then {@link PduCodec#decodeTargetPdu}. Garbage ends in a {@link ProtocolException} with a
 * message; nothing else escapes, and no buffer is sized by an unchecked length.
 */
class PduFuzzTest {
    /**
     * Input: byte 0 chooses the framing (bit 0 header digest, bit 1 data digest, bits 2-7 the
     * MaxRecvDataSegmentLength in 512-byte steps), the rest is the stream.
     */
    @FuzzTest(maxDuration = "30s")
    void targetPdus(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int config = input[0] & 0xFF;
        PduStream stream = new PduStream("fuzz");
        stream.configure((config & 1) != 0, (config & 2) != 0, 512 * (1 + (config >>> 2)));
        InputStream in = new ByteArrayInputStream(Arrays.copyOfRange(input, 1, input.length));
        try {
            PduStream.Frame f;
            while ((f = stream.read(in)) != null) {
                TargetPdu pdu = PduCodec.decodeTargetPdu(f.header(), f.data());
                if (pdu.opcode() == null || pdu.toString().isEmpty()) {
                    throw new AssertionError("decoded a PDU without an opcode");
                }
                // what the engine reads from the data segments it is handed
                if (pdu instanceof ScsiResponse r && r.sense().remaining() > r.data().remaining()) {
                    throw new AssertionError("sense data longer than the data segment");
                }
                if (pdu instanceof Reject r && (r.reasonText().isEmpty() || r.rejectedItt() == 0 && r.data().remaining() < 48)) {
                    throw new AssertionError("Reject without a reason or with an ITT from nowhere");
                }
            }
        } catch (ProtocolException e) {
            Fuzzing.clearMessage(e);
        }
    }
}

package org.kiscsi.protocol.text;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.api.IscsiException;
import org.kiscsi.api.node.RecordValues;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.pdu.Fuzzing;

/**
 * The text-key parser (RFC 7143 section 6: key=value pairs, each ended by a NUL, continued over
 * several PDUs) and the negotiation of the target's answers against kiscsi's offers.
 */
class TextFuzzTest {
    /**
     * Input: byte 0 is the size of the data segments the text arrives in (1..256), the rest is the text.
     * Whatever decodes also encodes back to the same pairs.
     */
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int segment = 1 + (input[0] & 0xFF);
        TextAccumulator acc = new TextAccumulator();
        try {
            for (int off = 1; off < input.length; off += segment) {
                acc.add(ByteBuffer.wrap(input, off, Math.min(segment, input.length - off)), "fuzz");
            }
            List<KeyValue> pairs = acc.finish("fuzz");
            List<KeyValue> again = TextCodec.decode(ByteBuffer.wrap(TextCodec.encode(pairs)), "re-encoded");
            if (!again.equals(pairs)) {
                throw new AssertionError("decoded " + pairs + " but its encoding decodes to " + again);
            }
        } catch (ProtocolException e) {
            Fuzzing.clearMessage(e);
        }
    }

    /**
     * Input: byte 0 bit 0 chooses a discovery session's offers over a normal one's; the rest is the
     * target's text in rounds separated by 0xFF bytes. Answers owed to the target always encode, and the
     * outcome is either negotiated parameters or a refusal naming the key.
     */
    @FuzzTest(maxDuration = "30s")
    void negotiate(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean discovery = (input[0] & 1) != 0;
        var offers = discovery ? SessionOffers.discovery(RecordValues.empty()) : SessionOffers.normal(RecordValues.empty());
        Negotiation n = new Negotiation(offers, offers, "fuzz");
        try {
            for (byte[] round : rounds(Arrays.copyOfRange(input, 1, input.length))) {
                List<KeyValue> answers = n.receive(TextCodec.decode(ByteBuffer.wrap(round), "fuzz"));
                TextCodec.encode(answers);
            }
            NegotiatedParameters p = NegotiatedParameters.from(n, 0, "fuzz");
            if (p.toString().isEmpty()) {
                throw new AssertionError("no parameters");
            }
        } catch (IscsiException e) {
            Fuzzing.clearMessage(e);
        }
    }

    private static List<byte[]> rounds(byte[] text) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length || text[i] == (byte) 0xFF) {
                out.add(Arrays.copyOfRange(text, from, i));
                from = i + 1;
            }
        }
        return out;
    }
}

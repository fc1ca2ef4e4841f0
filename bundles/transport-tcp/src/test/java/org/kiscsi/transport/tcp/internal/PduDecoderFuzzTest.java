package org.kiscsi.transport.tcp.internal;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.pdu.PduCodec;
import org.kiscsi.spi.transport.LinkSettings;
import org.kiscsi.transport.tcp.FramingException;

/**
 * The receive side of a TCP connection: a target's byte stream arriving in reads of any size, cut
 * into PDUs by {@link PduDecoder} (BHS, AHS, header digest, data segment into a buffer the listener
 * chose or one of its own, padding, data digest), each then decoded by {@link PduCodec}. Garbage ends
 * in a {@link FramingException} or a {@link ProtocolException} with a message, nothing else; every PDU
 * handed on has exactly the lengths its BHS declares.
 */
class PduDecoderFuzzTest {
    /**
     * Input: byte 0 bit 0 header digest, bit 1 data digest, bit 2 AHS entries checked, bits 3-4 where
     * data segments go (the decoder's own buffer, a listener's heap buffer, a direct buffer the reader
     * fills straight from the "socket", a read-only buffer that must be refused), bits 5-7 the
     * MaxRecvDataSegmentLength; byte 1 is the size of each read (1..256); the rest is the stream.
     */
    @FuzzTest(maxDuration = "30s")
    void stream(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int config = input[0] & 0xFF;
        int read = 1 + (input[1] & 0xFF);
        LinkSettings settings = new LinkSettings((config & 1) != 0, (config & 2) != 0, 512 << (config >>> 5));
        int placement = (config >>> 3) & 3;
        PduDecoder decoder = new PduDecoder("fuzz", (config & 4) != 0);
        PduDecoder.Placement where = header -> switch (placement) {
            case 1 -> ByteBuffer.allocate(Framing.dataSegmentLength(header));
            case 2 -> ByteBuffer.allocateDirect(Framing.dataSegmentLength(header));
            case 3 -> ByteBuffer.allocate(Framing.dataSegmentLength(header)).asReadOnlyBuffer();
            default -> null;
        };
        try {
            for (int off = 2; off < input.length; off += read) {
                ByteBuffer in = ByteBuffer.wrap(input, off, Math.min(read, input.length - off)).slice();
                ByteBuffer direct = decoder.directTarget(1);
                if (direct != null) {
                    // the socket reads straight into the listener's buffer
                    int n = Math.min(direct.remaining(), in.remaining());
                    direct.put(in.slice(0, n));
                    in.position(n);
                    InboundPdu p = decoder.readDirectly(n);
                    if (p != null) {
                        check(p);
                    }
                }
                InboundPdu p;
                while ((p = decoder.next(in, () -> settings, where)) != null) {
                    check(p);
                }
            }
            if (decoder.inPdu()) {
                FramingException e = decoder.truncated("stream ended", null);
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("truncation without a message");
                }
            }
        } catch (FramingException | ProtocolException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refusal without a message", e);
            }
        }
    }

    private static void check(InboundPdu p) {
        ByteBuffer h = p.header();
        int ahs = Framing.ahsLength(h.duplicate().position(0));
        int dsl = Framing.dataSegmentLength(h.duplicate().position(0));
        if (h.remaining() != Framing.BHS_LENGTH + ahs || p.data().remaining() != dsl) {
            throw new AssertionError("PDU of " + h.remaining() + " header and " + p.data().remaining()
                    + " data bytes where its BHS declares AHS " + ahs + " and data " + dsl);
        }
        PduCodec.decodeTargetPdu(h, p.data());
        p.release();
    }
}

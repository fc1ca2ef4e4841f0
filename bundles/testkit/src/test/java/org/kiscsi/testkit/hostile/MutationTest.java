package org.kiscsi.testkit.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.Framing;

class MutationTest {
    /** A SCSI Response with 6 bytes of data, ITT 0x1000. */
    private static byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put(0, (byte) 0x21).put(1, (byte) 0x80).putInt(16, 0x1000).putInt(24, 7).putInt(28, 3).putInt(32, 34);
        b.put(7, (byte) 6);
        return b.array();
    }

    private static final byte[] DATA = {1, 2, 3, 4, 5, 6};

    private static Mutation.Spoiled spoil(Mutation.Kind k, boolean digests) {
        return new Mutation(k, 0, 5).apply(header(), DATA, digests, digests, 0xABCD_EFFE);
    }

    @Test
    void theEncodingIsTheWireFormatWithDigestsAndPadding() {
        byte[] w = Mutation.encode(header(), DATA, true, true);
        assertEquals(48 + 4 + 8 + 4, w.length, "header, header digest, 6 data bytes padded to 8, data digest");
        ByteBuffer b = ByteBuffer.wrap(w);
        assertEquals(Framing.crc32c(ByteBuffer.wrap(header())), Framing.getDigest(b.position(48)));
        assertEquals(Framing.dataDigest(ByteBuffer.wrap(DATA)), Framing.getDigest(b.position(60)));
        assertEquals(48 + 8, Mutation.encode(header(), DATA, false, false).length);
    }

    @Test
    void aWrongHeaderDigestChangesTheDigestAlone() {
        byte[] good = Mutation.encode(header(), DATA, true, true);
        byte[] bad = spoil(Mutation.Kind.HEADER_DIGEST, true).wire().get(0);
        assertEquals(good.length, bad.length);
        for (int i = 0; i < good.length; i++) {
            if (i < 48 || i >= 52) {
                assertEquals(good[i], bad[i], "byte " + i);
            }
        }
        assertNotEquals(ByteBuffer.wrap(good, 48, 4), ByteBuffer.wrap(bad, 48, 4));
    }

    @Test
    void truncationsSendHalfAndCloseOrStall() {
        Mutation.Spoiled close = spoil(Mutation.Kind.TRUNCATE_CLOSE, false);
        assertEquals(Mutation.After.CLOSE, close.after());
        assertEquals(28, close.wire().get(0).length);
        assertEquals(Mutation.After.STALL, spoil(Mutation.Kind.TRUNCATE_STALL, false).after());
    }

    @Test
    void aBogusAhsIsAnnouncedAndSent() {
        byte[] w = spoil(Mutation.Kind.BOGUS_AHS, false).wire().get(0);
        assertEquals(2, w[4], "TotalAHSLength in 4-byte words");
        assertEquals(48 + 8 + 8, w.length);
    }

    @Test
    void anAnswerToAnUnknownTaskGoesFirstThenTheRealOne() {
        List<byte[]> w = spoil(Mutation.Kind.UNKNOWN_TASK_ANSWER, false).wire();
        assertEquals(2, w.size());
        assertEquals(0xABCD_EFFE, ByteBuffer.wrap(w.get(0)).getInt(16));
        assertArrayEquals(Mutation.encode(header(), DATA, false, false), w.get(1));
    }

    @Test
    void sequenceNumberDamage() {
        assertEquals(7 + 0x1000_0000, ByteBuffer.wrap(spoil(Mutation.Kind.STATSN_JUMP, false).wire().get(0)).getInt(24));
        assertEquals(1, ByteBuffer.wrap(spoil(Mutation.Kind.MAXCMDSN_BELOW, false).wire().get(0)).getInt(32));
        assertEquals(-1, ByteBuffer.wrap(spoil(Mutation.Kind.RESERVED_ITT, false).wire().get(0)).getInt(16));
    }

    @Test
    void theCatalogueIsTheSameEachRun() {
        assertEquals(Mutation.catalogue(12, 3, 7), Mutation.catalogue(12, 3, 7));
        assertEquals(Mutation.Kind.values().length * 3, Mutation.catalogue(12, 3, 7).size());
    }

    @Test
    void aConversationSurvivesItsTextForm() throws Exception {
        SeedConversation c = new SeedConversation(List.of(new SeedConversation.Event(true, 0, header(), new byte[0]),
                new SeedConversation.Event(false, 1, header(), DATA)));
        StringWriter w = new StringWriter();
        c.write(w, List.of("a comment"));
        SeedConversation back = SeedConversation.read(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.US_ASCII)), "test");
        assertEquals(2, back.events().size());
        assertEquals(1, back.events().get(1).connection());
        assertArrayEquals(DATA, back.events().get(1).data());
        assertArrayEquals(header(), back.events().get(0).header());
    }
}

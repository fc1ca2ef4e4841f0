package org.kiscsi.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.ProtocolException;

class TextCodecTest {
    @Test
    void encodesNulTerminatedPairsAndDecodesThem() {
        List<KeyValue> kv = List.of(new KeyValue("InitiatorName", "iqn.2026-11.org.kiscsi:i"), new KeyValue("SessionType", "Normal"));
        byte[] b = TextCodec.encode(kv);
        assertEquals("InitiatorName=iqn.2026-11.org.kiscsi:i\0SessionType=Normal\0", new String(b, StandardCharsets.UTF_8));
        assertEquals(kv, TextCodec.decode(ByteBuffer.wrap(b), "test"));
    }

    @Test
    void toleratesPaddingNulsAndEmptyValues() {
        assertEquals(List.of(new KeyValue("TargetAlias", "")),
                TextCodec.decode(ByteBuffer.wrap("TargetAlias=\0\0\0".getBytes(StandardCharsets.UTF_8)), "t"));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"NoEquals\0", "=v\0", "Key=v", "K y=v\0", "A=1\0A=2\0"}) {
            ProtocolException e = assertThrows(ProtocolException.class,
                    () -> TextCodec.decode(ByteBuffer.wrap(bad.getBytes(StandardCharsets.UTF_8)), "Login Response from p"), bad);
            assertTrue(e.getMessage().startsWith("Login Response from p"), e.getMessage());
        }
        String longKey = "K".repeat(64) + "=v\0";
        assertThrows(ProtocolException.class, () -> TextCodec.decode(ByteBuffer.wrap(longKey.getBytes(StandardCharsets.UTF_8)), "t"));
    }

    @Test
    void splitAndAccumulateAcrossPdus() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("X-kiscsi.key").append(i).append("=value").append(i).append('\0');
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<ByteBuffer> parts = TextCodec.split(text, 1000);
        assertTrue(parts.size() > 3);
        TextAccumulator acc = new TextAccumulator();
        for (ByteBuffer p : parts) {
            acc.add(p, "t");
        }
        List<KeyValue> kv = acc.finish("t");
        assertEquals(400, kv.size());
        assertEquals(new KeyValue("X-kiscsi.key399", "value399"), kv.get(399));
        assertTrue(acc.isEmpty());
    }
}

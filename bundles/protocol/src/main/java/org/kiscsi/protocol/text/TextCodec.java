package org.kiscsi.protocol.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * Text data segments: {@code key=value} pairs each ending in a NUL byte (RFC 7143 section 6.1).
 * Keys are at most 63 bytes of letters, digits, '.', '-', '+', '@', '_'; values at most 8192 bytes.
 */
public final class TextCodec {
    public static final int MAX_KEY_LENGTH = 63;
    public static final int MAX_VALUE_LENGTH = 8192;

    private TextCodec() {
    }

    public static byte[] encode(List<KeyValue> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (KeyValue kv : pairs) {
            checkKey(kv.key());
            byte[] b = (kv.key() + "=" + kv.value()).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a complete text (all C-bit fragments joined). A key may appear once.
     *
     * @param where what the text came from, for messages ("Login Response from 127.0.0.1:3260")
     */
    public static List<KeyValue> decode(ByteBuffer text, String where) {
        List<KeyValue> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ByteBuffer b = text.duplicate();
        int start = b.position();
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                continue;
            }
            if (i > start) {
                KeyValue kv = pair(b, start, i, where);
                if (!seen.add(kv.key())) {
                    throw new ProtocolException(Kind.NEGOTIATION, where + ": key " + kv.key() + " appears twice");
                }
                out.add(kv);
            }
            start = i + 1;
        }
        if (start < b.limit()) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": text does not end with a NUL byte (last "
                    + (b.limit() - start) + " bytes unterminated)");
        }
        return out;
    }

    private static KeyValue pair(ByteBuffer b, int from, int to, String where) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(b.duplicate().position(from).limit(to)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": text at byte " + from + " is not UTF-8");
        }
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": '" + abbreviate(s) + "' at byte " + from + " is not key=value");
        }
        String key = s.substring(0, eq);
        String value = s.substring(eq + 1);
        try {
            checkKey(key);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": " + e.getMessage());
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_LENGTH) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": value of " + key + " is longer than " + MAX_VALUE_LENGTH + " bytes");
        }
        return new KeyValue(key, value);
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key '" + abbreviate(key) + "' is empty or longer than " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '+' || c == '@' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("key '" + abbreviate(key) + "' has the character '" + c + "'");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * Splits an encoded text into data segments of at most {@code maxSegment} bytes, for PDUs sent
     * with the C bit on all but the last.
     */
    public static List<ByteBuffer> split(byte[] text, int maxSegment) {
        List<ByteBuffer> parts = new ArrayList<>();
        for (int off = 0; off < text.length; off += maxSegment) {
            parts.add(ByteBuffer.wrap(text, off, Math.min(maxSegment, text.length - off)).slice());
        }
        if (parts.isEmpty()) {
            parts.add(ByteBuffer.allocate(0));
        }
        return parts;
    }
}

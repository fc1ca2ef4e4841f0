package org.kiscsi.protocol.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

/**
 * Joins the data segments of PDUs sent with the C (continue) bit, where a key=value pair may be
 * split between two PDUs, and decodes the whole once the last part arrived.
 */
public final class TextAccumulator {
    /** A sanity bound: no negotiation needs more text than this. */
    public static final int MAX_TEXT = 1 << 20;

    private final ByteArrayOutputStream parts = new ByteArrayOutputStream();

    public void add(ByteBuffer segment, String where) {
        if (parts.size() + segment.remaining() > MAX_TEXT) {
            throw new ProtocolException(Kind.NEGOTIATION, where + ": continued text exceeds " + MAX_TEXT + " bytes");
        }
        ByteBuffer s = segment.duplicate();
        byte[] b = new byte[s.remaining()];
        s.get(b);
        parts.write(b, 0, b.length);
    }

    public boolean isEmpty() {
        return parts.size() == 0;
    }

    /** Decodes everything added and starts over. */
    public List<KeyValue> finish(String where) {
        List<KeyValue> kv = TextCodec.decode(ByteBuffer.wrap(parts.toByteArray()), where);
        parts.reset();
        return kv;
    }
}

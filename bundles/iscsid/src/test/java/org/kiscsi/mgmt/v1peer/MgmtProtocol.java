// Management protocol version 1 as released (commit 291a091), kept unchanged to test compatibility with it.
package org.kiscsi.mgmt.v1peer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes management frames.
 *
 * <pre>
 * frame    = magic "KSCM" | u16 version | u8 kind (1 request, 2 response) | u8 0 | u32 length | payload
 * request  = str op | u16 n | n x (str key, str value)
 * response = u16 status | str message | u32 rows | rows x (u16 n | n x (str key, str value))
 * str      = u32 length | UTF-8 bytes
 * </pre>
 *
 * The header layout is the same in every version, so either side can read a frame of a version it
 * does not speak to its end and answer with a clear error instead of losing step.
 */
public final class MgmtProtocol {
    /** The version this side writes. */
    public static final int VERSION = 1;
    /** The oldest version this side reads. */
    public static final int MIN_VERSION = 1;
    /** Largest payload accepted: requests and answers are small; a session list fits easily. */
    public static final int MAX_PAYLOAD = 4 * 1024 * 1024;

    static final int MAGIC = 0x4B53434D; // "KSCM"
    static final int KIND_REQUEST = 1;
    static final int KIND_RESPONSE = 2;

    private MgmtProtocol() {
    }

    public static void writeRequest(MgmtRequest request, OutputStream out) throws IOException {
        Payload p = new Payload();
        p.str(request.op());
        p.u16(request.args().size(), "arguments");
        for (Map.Entry<String, String> e : request.args().entrySet()) {
            p.str(e.getKey());
            p.str(e.getValue());
        }
        writeFrame(out, request.version(), KIND_REQUEST, p);
    }

    public static void writeResponse(MgmtResponse response, OutputStream out) throws IOException {
        Payload p = new Payload();
        p.u16(response.status(), "status");
        p.str(response.message());
        p.u32(response.rows().size());
        for (Map<String, String> row : response.rows()) {
            p.u16(row.size(), "row pairs");
            for (Map.Entry<String, String> e : row.entrySet()) {
                p.str(e.getKey());
                p.str(e.getValue());
            }
        }
        writeFrame(out, response.version(), KIND_RESPONSE, p);
    }

    /**
     * Reads one request.
     *
     * @throws EOFException when the stream ends before a frame starts
     * @throws UnsupportedVersionException when the frame is whole but in a version not spoken here
     * @throws MgmtProtocolException when the bytes are not a valid request
     */
    public static MgmtRequest readRequest(InputStream in) throws IOException {
        Frame f = readFrame(in, KIND_REQUEST);
        Reader r = new Reader(f.payload);
        String op = r.str("op");
        int n = r.u16("argument count");
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            args.put(r.str("argument name"), r.str("argument value"));
        }
        r.end();
        return new MgmtRequest(f.version, op, args);
    }

    /** Reads one response; same failures as {@link #readRequest}. */
    public static MgmtResponse readResponse(InputStream in) throws IOException {
        Frame f = readFrame(in, KIND_RESPONSE);
        Reader r = new Reader(f.payload);
        int status = r.u16("status");
        String message = r.str("message");
        long rows = r.u32("row count");
        List<Map<String, String>> list = new ArrayList<>();
        for (long i = 0; i < rows; i++) {
            int n = r.u16("row size");
            Map<String, String> row = new LinkedHashMap<>();
            for (int j = 0; j < n; j++) {
                row.put(r.str("key"), r.str("value"));
            }
            list.add(row);
        }
        r.end();
        return new MgmtResponse(f.version, status, message, list);
    }

    private record Frame(int version, byte[] payload) {
    }

    private static void writeFrame(OutputStream out, int version, int kind, Payload p) throws IOException {
        if (p.size() > MAX_PAYLOAD) {
            throw new MgmtProtocolException("payload of " + p.size() + " bytes exceeds the limit of " + MAX_PAYLOAD);
        }
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeShort(version);
        d.writeByte(kind);
        d.writeByte(0);
        d.writeInt(p.size());
        p.writeTo(d);
        d.flush();
    }

    private static Frame readFrame(InputStream in, int expectedKind) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.read();
        if (first < 0) {
            throw new EOFException("connection closed before a frame");
        }
        byte[] head = new byte[11];
        try {
            d.readFully(head);
        } catch (EOFException e) {
            throw new MgmtProtocolException("truncated frame header");
        }
        ByteBuffer h = ByteBuffer.allocate(12).put((byte) first).put(head).flip();
        int magic = h.getInt();
        if (magic != MAGIC) {
            throw new MgmtProtocolException(String.format("not a kiscsi management frame (magic 0x%08x)", magic));
        }
        int version = Short.toUnsignedInt(h.getShort());
        int kind = Byte.toUnsignedInt(h.get());
        h.get();
        long length = Integer.toUnsignedLong(h.getInt());
        if (kind != expectedKind) {
            throw new MgmtProtocolException("expected a " + kindName(expectedKind) + " frame, got kind " + kind);
        }
        if (length > MAX_PAYLOAD) {
            throw new MgmtProtocolException("frame length " + length + " exceeds the limit of " + MAX_PAYLOAD);
        }
        byte[] payload = new byte[(int) length];
        try {
            d.readFully(payload);
        } catch (EOFException e) {
            throw new MgmtProtocolException("truncated frame: header announced " + length + " payload bytes");
        }
        if (version < MIN_VERSION || version > VERSION) {
            throw new UnsupportedVersionException(version);
        }
        return new Frame(version, payload);
    }

    private static String kindName(int kind) {
        return kind == KIND_REQUEST ? "request" : "response";
    }

    /** Accumulates a payload. */
    private static final class Payload {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        void str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        void u16(int v, String what) throws IOException {
            if (v < 0 || v > 0xFFFF) {
                throw new MgmtProtocolException(what + " " + v + " does not fit 16 bits");
            }
            out.writeShort(v);
        }

        void u32(int v) throws IOException {
            out.writeInt(v);
        }

        int size() {
            return bytes.size();
        }

        void writeTo(OutputStream o) throws IOException {
            bytes.writeTo(o);
        }
    }

    /** Reads a payload, checking every length against what is left. */
    private static final class Reader {
        private final ByteBuffer b;

        Reader(byte[] payload) {
            b = ByteBuffer.wrap(payload);
        }

        int u16(String what) throws MgmtProtocolException {
            need(2, what);
            return Short.toUnsignedInt(b.getShort());
        }

        long u32(String what) throws MgmtProtocolException {
            need(4, what);
            return Integer.toUnsignedLong(b.getInt());
        }

        String str(String what) throws MgmtProtocolException {
            long len = u32(what + " length");
            need(len, what);
            ByteBuffer slice = b.slice().limit((int) len);
            b.position(b.position() + (int) len);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new MgmtProtocolException(what + " is not valid UTF-8");
            }
        }

        void need(long n, String what) throws MgmtProtocolException {
            if (n > b.remaining()) {
                throw new MgmtProtocolException("payload too short for " + what + " (" + n + " bytes needed, "
                        + b.remaining() + " left at offset " + b.position() + ")");
            }
        }

        void end() throws MgmtProtocolException {
            if (b.hasRemaining()) {
                throw new MgmtProtocolException(b.remaining() + " unexpected bytes after the payload");
            }
        }
    }
}

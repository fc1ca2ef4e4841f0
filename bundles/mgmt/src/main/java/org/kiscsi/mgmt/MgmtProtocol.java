package org.kiscsi.mgmt;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Encodes and decodes management frames, protocol versions 1 and 2.
 *
 * <pre>
 * frame     = magic "KSCM" | u16 version | u8 kind | u8 flags (0) | u32 length | payload
 * kind        1 request, 2 response, 3 progress (version 2 on)
 * str       = u32 length | UTF-8 bytes
 * pair      = str key | str value
 *
 * version 1
 * request   = str op | u16 n | n x pair                        (each key once)
 * response  = u16 status | str message | u32 rows | rows x (u16 n | n x pair)
 *
 * version 2
 * request   = str op | u16 n | n x pair                        (ordered; keys may repeat: n k1 v v1 n k2 v v2)
 * response  = u16 status | str message | u32 rows | rows x row
 * row       = u16 status | str message | u16 n | n x pair      (each row its own status)
 * progress  = u32 due-within-ms | str note
 * </pre>
 *
 * <p>The header is the same in every version, so either side reads a frame of a version it does not
 * speak to its end and answers with a clear error instead of losing step.
 *
 * <p><b>Version agreement.</b> A client sends at its highest version. A daemon that does not speak
 * it answers status 16 (INVALID_MGMT_REQ) in a frame of <em>its</em> highest version (from version
 * 2 on with a row {@code mgmt.protocol.version}, {@code mgmt.protocol.min_version}); the client then
 * retries once at the highest version both speak, or fails naming both ranges. Otherwise a daemon
 * always answers in the version the request was made in.
 *
 * <p><b>Progress.</b> Before its answer, a version-2 daemon may send progress frames: "the answer is
 * due within N ms". The client waits {@link MgmtClient.Waits#firstFrame} for the first frame and then
 * what the last progress frame announced (plus a margin); the daemon uses the same figure for its
 * own deadline.
 *
 * <p><b>Limits.</b> A request payload is at most {@link #MAX_REQUEST_PAYLOAD} bytes, an answer's
 * {@link #MAX_PAYLOAD}; both are checked from the header before anything is allocated.
 */
public final class MgmtProtocol {
    /** The highest version this side speaks (and writes unless told otherwise). */
    public static final int VERSION = 2;
    /** The oldest version this side speaks. */
    public static final int MIN_VERSION = 1;
    /** Largest request payload: requests are small (a selector and a few changes). */
    public static final int MAX_REQUEST_PAYLOAD = 64 * 1024;
    /** Largest answer payload: the node records of a large database fit. */
    public static final int MAX_PAYLOAD = 16 * 1024 * 1024;
    /** Longest wait a progress frame may announce. */
    public static final Duration MAX_DUE = Duration.ofHours(24);

    static final int MAGIC = 0x4B53434D; // "KSCM"
    public static final int KIND_REQUEST = 1;
    public static final int KIND_RESPONSE = 2;
    public static final int KIND_PROGRESS = 3;

    private MgmtProtocol() {
    }

    /** The row a version-2 daemon adds to a version refusal: the range it speaks. */
    public static MgmtRow rangeRow() {
        return new MgmtRow(0, "", List.of(new MgmtPair("mgmt.protocol.version", Integer.toString(VERSION)),
                new MgmtPair("mgmt.protocol.min_version", Integer.toString(MIN_VERSION))));
    }

    // --- encoding ---

    public static ByteBuffer encodeRequest(MgmtRequest request) throws MgmtProtocolException {
        Payload p = new Payload();
        p.str(request.op());
        p.u16(request.arguments().size(), "arguments");
        Set<String> seen = new HashSet<>();
        for (MgmtPair a : request.arguments()) {
            if (request.version() < 2 && !seen.add(a.key())) {
                throw new MgmtProtocolException("protocol version 1 cannot carry argument '" + a.key() + "' twice");
            }
            p.pair(a);
        }
        return frame(request.version(), KIND_REQUEST, p, MAX_REQUEST_PAYLOAD);
    }

    public static ByteBuffer encodeResponse(MgmtResponse response) throws MgmtProtocolException {
        Payload p = new Payload();
        p.u16(response.status(), "status");
        p.str(response.message());
        p.u32(response.table().size());
        for (MgmtRow row : response.table()) {
            if (response.version() >= 2) {
                p.u16(row.status(), "row status");
                p.str(row.message());
            }
            p.u16(row.pairs().size(), "row pairs");
            for (MgmtPair e : row.pairs()) {
                p.pair(e);
            }
        }
        return frame(response.version(), KIND_RESPONSE, p, MAX_PAYLOAD);
    }

    public static ByteBuffer encodeProgress(int version, MgmtProgress progress) throws MgmtProtocolException {
        if (version < 2) {
            throw new MgmtProtocolException("protocol version " + version + " has no progress frames");
        }
        Payload p = new Payload();
        p.u32((int) progress.dueWithin().toMillis());
        p.str(progress.note());
        return frame(version, KIND_PROGRESS, p, MAX_PAYLOAD);
    }

    public static void writeRequest(MgmtRequest request, OutputStream out) throws IOException {
        write(encodeRequest(request), out);
    }

    public static void writeResponse(MgmtResponse response, OutputStream out) throws IOException {
        write(encodeResponse(response), out);
    }

    private static void write(ByteBuffer b, OutputStream out) throws IOException {
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        out.flush();
    }

    // --- decoding ---

    /**
     * A request frame's payload.
     *
     * @throws UnsupportedVersionException when the frame is in a version not spoken here (the frame
     *         was read whole: an answer can be sent)
     */
    public static MgmtRequest decodeRequest(FrameHeader h, ByteBuffer payload) throws MgmtProtocolException {
        expect(h, KIND_REQUEST);
        Reader r = new Reader(payload);
        String op = r.str("op");
        int n = r.u16("argument count");
        List<MgmtPair> args = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            MgmtPair a = new MgmtPair(r.str("argument name"), r.str("argument value"));
            if (h.version() < 2 && !seen.add(a.key())) {
                throw new MgmtProtocolException("argument '" + a.key() + "' given twice in a version 1 request");
            }
            args.add(a);
        }
        r.end();
        return new MgmtRequest(h.version(), op, args);
    }

    public static MgmtResponse decodeResponse(FrameHeader h, ByteBuffer payload) throws MgmtProtocolException {
        expect(h, KIND_RESPONSE);
        Reader r = new Reader(payload);
        int status = r.u16("status");
        String message = r.str("message");
        long rows = r.u32("row count");
        List<MgmtRow> list = new ArrayList<>();
        for (long i = 0; i < rows; i++) {
            int rowStatus = h.version() >= 2 ? r.u16("row status") : 0;
            String rowMessage = h.version() >= 2 ? r.str("row message") : "";
            int n = r.u16("row size");
            List<MgmtPair> pairs = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                pairs.add(new MgmtPair(r.str("key"), r.str("value")));
            }
            list.add(new MgmtRow(rowStatus, rowMessage, pairs));
        }
        r.end();
        return MgmtResponse.of(h.version(), status, message, list);
    }

    public static MgmtProgress decodeProgress(FrameHeader h, ByteBuffer payload) throws MgmtProtocolException {
        expect(h, KIND_PROGRESS);
        Reader r = new Reader(payload);
        long ms = r.u32("due");
        String note = r.str("note");
        r.end();
        Duration due = Duration.ofMillis(ms);
        return new MgmtProgress(due.compareTo(MAX_DUE) > 0 ? MAX_DUE : due, note);
    }

    /** Reads one request; same failures as {@link #decodeRequest}, EOFException before a frame starts. */
    public static MgmtRequest readRequest(InputStream in) throws IOException {
        Frame f = readFrame(in, KIND_REQUEST, MAX_REQUEST_PAYLOAD);
        return decodeRequest(f.header, f.payload);
    }

    /** Reads one response (skipping nothing: a progress frame here is an error). */
    public static MgmtResponse readResponse(InputStream in) throws IOException {
        Frame f = readFrame(in, KIND_RESPONSE, MAX_PAYLOAD);
        return decodeResponse(f.header, f.payload);
    }

    private record Frame(FrameHeader header, ByteBuffer payload) {
    }

    private static Frame readFrame(InputStream in, int expectedKind, int max) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.read();
        if (first < 0) {
            throw new EOFException("connection closed before a frame");
        }
        byte[] head = new byte[FrameHeader.SIZE];
        head[0] = (byte) first;
        try {
            d.readFully(head, 1, FrameHeader.SIZE - 1);
        } catch (EOFException e) {
            throw new MgmtProtocolException("truncated frame header");
        }
        FrameHeader h = FrameHeader.read(ByteBuffer.wrap(head));
        if (h.kind() != expectedKind) {
            throw new MgmtProtocolException("expected a " + kindName(expectedKind) + " frame, got kind " + h.kind());
        }
        byte[] payload = new byte[h.checkedLength(max)];
        try {
            d.readFully(payload);
        } catch (EOFException e) {
            throw new MgmtProtocolException("truncated frame: header announced " + h.length() + " payload bytes");
        }
        return new Frame(h, ByteBuffer.wrap(payload));
    }

    private static void expect(FrameHeader h, int kind) throws MgmtProtocolException {
        if (h.kind() != kind) {
            throw new MgmtProtocolException("expected a " + kindName(kind) + " frame, got kind " + h.kind());
        }
        if (!h.spoken()) {
            throw new UnsupportedVersionException(h.version());
        }
        if (kind == KIND_PROGRESS && h.version() < 2) {
            throw new MgmtProtocolException("a progress frame in protocol version " + h.version());
        }
    }

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_REQUEST -> "request";
            case KIND_RESPONSE -> "response";
            case KIND_PROGRESS -> "progress";
            default -> "kind " + kind;
        };
    }

    private static ByteBuffer frame(int version, int kind, Payload p, int max) throws MgmtProtocolException {
        if (p.size() > max) {
            throw new MgmtProtocolException(kindName(kind) + " payload of " + p.size() + " bytes exceeds the limit of " + max);
        }
        ByteBuffer b = ByteBuffer.allocate(FrameHeader.SIZE + p.size());
        b.putInt(MAGIC).putShort((short) version).put((byte) kind).put((byte) 0).putInt(p.size());
        b.put(p.bytes.toByteArray());
        return b.flip();
    }

    /** Accumulates a payload. */
    private static final class Payload {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void str(String s) throws MgmtProtocolException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            bytes.write(b, 0, b.length);
        }

        void pair(MgmtPair p) throws MgmtProtocolException {
            str(p.key());
            str(p.value());
        }

        void u16(int v, String what) throws MgmtProtocolException {
            if (v < 0 || v > 0xFFFF) {
                throw new MgmtProtocolException(what + " " + v + " does not fit 16 bits");
            }
            bytes.write(v >>> 8);
            bytes.write(v);
        }

        void u32(int v) {
            bytes.write(v >>> 24);
            bytes.write(v >>> 16);
            bytes.write(v >>> 8);
            bytes.write(v);
        }

        int size() {
            return bytes.size();
        }
    }

    /** Reads a payload, checking every length against what is left. */
    private static final class Reader {
        private final ByteBuffer b;

        Reader(ByteBuffer payload) {
            b = payload;
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

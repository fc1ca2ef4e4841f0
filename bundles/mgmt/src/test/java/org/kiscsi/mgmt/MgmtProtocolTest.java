package org.kiscsi.mgmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MgmtProtocolTest {

    private static byte[] encode(MgmtRequest r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MgmtProtocol.writeRequest(r, out);
        return out.toByteArray();
    }

    private static byte[] encode(MgmtResponse r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MgmtProtocol.writeResponse(r, out);
        return out.toByteArray();
    }

    @Test
    void requestRoundTripKeepsOrderAndUnicode() throws IOException {
        MgmtRequest r = MgmtRequest.of(MgmtOp.LOGIN, Map.of("target", "iqn.2026-11.org.kiscsi:tårget"));
        MgmtRequest back = MgmtProtocol.readRequest(new ByteArrayInputStream(encode(r)));
        assertEquals(r, back);
        assertEquals(MgmtProtocol.VERSION, back.version());
        assertEquals(MgmtOp.LOGIN, MgmtOp.fromWire(back.op()).orElseThrow());
    }

    @Test
    void responseRoundTripWithRows() throws IOException {
        MgmtResponse r = MgmtResponse.ok("2 sessions", List.of(
                Map.of("sid", "1", "target", "iqn.2026-11.a:b"), Map.of("sid", "2", "target", "iqn.2026-11.a:c")));
        assertEquals(r, MgmtProtocol.readResponse(new ByteArrayInputStream(encode(r))));
        MgmtResponse e = MgmtResponse.error(21, "no session with sid 7");
        assertEquals(e, MgmtProtocol.readResponse(new ByteArrayInputStream(encode(e))));
    }

    @Test
    void anErrorAnswerKeepsItsRows() throws IOException {
        MgmtResponse r = new MgmtResponse(MgmtProtocol.VERSION, 15, "default: 1 session requested, but 1 already present.",
                List.of(Map.of("sid", "1"), Map.of("status", "15", "message", "default: 1 session requested, but 1 already present.")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MgmtProtocol.writeResponse(r, out);
        assertEquals(r, MgmtProtocol.readResponse(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void unknownVersionIsReportedAndTheStreamStaysInStep() throws IOException {
        int next = MgmtProtocol.VERSION + 1;
        byte[] v3 = encode(new MgmtRequest(MgmtProtocol.VERSION, "status", Map.of("x", "y")));
        v3[5] = (byte) next; // a later version's frame: same header, a payload this side cannot know
        byte[] v1 = encode(MgmtRequest.of(MgmtOp.VERSION));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(v3);
        both.write(v1);
        ByteArrayInputStream in = new ByteArrayInputStream(both.toByteArray());
        UnsupportedVersionException e = assertThrows(UnsupportedVersionException.class, () -> MgmtProtocol.readRequest(in));
        assertEquals(next, e.version());
        assertTrue(e.getMessage().contains("version " + next), e.getMessage());
        assertEquals("version", MgmtProtocol.readRequest(in).op());
    }

    @Test
    void endOfStreamBeforeAFrameIsEof() {
        assertThrows(EOFException.class, () -> MgmtProtocol.readRequest(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void badMagicIsNamed() throws IOException {
        byte[] b = encode(MgmtRequest.of(MgmtOp.STATUS));
        b[0] = 'X';
        MgmtProtocolException e = assertThrows(MgmtProtocolException.class,
                () -> MgmtProtocol.readRequest(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void truncatedFramesAreRejected() throws IOException {
        byte[] b = encode(MgmtRequest.of(MgmtOp.STATUS, Map.of("a", "b")));
        for (int cut = 1; cut < b.length; cut++) {
            byte[] part = Arrays.copyOf(b, cut);
            MgmtProtocolException e = assertThrows(MgmtProtocolException.class,
                    () -> MgmtProtocol.readRequest(new ByteArrayInputStream(part)), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void wrongKindIsRejected() throws IOException {
        byte[] b = encode(MgmtResponse.ok("ok", List.of()));
        assertThrows(MgmtProtocolException.class, () -> MgmtProtocol.readRequest(new ByteArrayInputStream(b)));
    }

    @Test
    void oversizedLengthIsRejectedBeforeAllocating() throws IOException {
        byte[] b = encode(MgmtRequest.of(MgmtOp.STATUS));
        ByteBuffer.wrap(b).putInt(8, Integer.MAX_VALUE);
        MgmtProtocolException e = assertThrows(MgmtProtocolException.class,
                () -> MgmtProtocol.readRequest(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void innerLengthsAreCheckedAgainstThePayload() throws IOException {
        byte[] b = encode(MgmtRequest.of(MgmtOp.STATUS));
        ByteBuffer.wrap(b).putInt(12, 1000); // op string claims 1000 bytes
        MgmtProtocolException e = assertThrows(MgmtProtocolException.class,
                () -> MgmtProtocol.readRequest(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
    }

    @Test
    void invalidUtf8IsRejected() throws IOException {
        byte[] b = encode(MgmtRequest.of(MgmtOp.STATUS));
        b[16] = (byte) 0xFF; // first byte of "status"
        MgmtProtocolException e = assertThrows(MgmtProtocolException.class,
                () -> MgmtProtocol.readRequest(new ByteArrayInputStream(b)));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void trailingBytesInsideAFrameAreRejected() throws IOException {
        byte[] b = encode(MgmtRequest.of(MgmtOp.STATUS));
        byte[] longer = Arrays.copyOf(b, b.length + 3);
        ByteBuffer.wrap(longer).putInt(8, ByteBuffer.wrap(b).getInt(8) + 3);
        MgmtProtocolException e = assertThrows(MgmtProtocolException.class,
                () -> MgmtProtocol.readRequest(new ByteArrayInputStream(longer)));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void errorResponsesNeedAStatus() {
        assertThrows(IllegalArgumentException.class, () -> MgmtResponse.error(0, "x"));
    }
}

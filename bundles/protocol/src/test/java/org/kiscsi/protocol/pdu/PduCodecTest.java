package org.kiscsi.protocol.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.protocol.Framing;
import org.kiscsi.protocol.ProtocolException;
import org.kiscsi.protocol.ProtocolException.Kind;

class PduCodecTest {
    private static final ByteBuffer DATA = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});

    private static TargetPdu roundTrip(TargetPdu p) {
        ByteBuffer h = PduCodec.encodeHeader(p);
        return PduCodec.decodeTargetPdu(h, p.data());
    }

    private static InitiatorPdu roundTrip(InitiatorPdu p) {
        ByteBuffer h = PduCodec.encodeHeader(p);
        return PduCodec.decodeInitiatorPdu(h, p.data());
    }

    @Test
    void everyTargetPduRoundTrips() {
        List<TargetPdu> pdus = List.of(
                new NopIn(0x0001000000000000L, 5, -1, 10, 11, 42, DATA),
                new ScsiResponse(ScsiResponse.FLAG_UNDERFLOW, 0, 2, 6, 0, 11, 12, 43, 3, 0, 512,
                        ByteBuffer.wrap(new byte[] {0, 2, 0x70, 0})),
                new TaskMgmtResponse(5, 7, 12, 13, 44),
                new LoginResponse(true, false, 1, 3, 0, 0, 0x80123456789aL, 0x1234, 8, 13, 14, 45, 0, 0, DATA),
                new TextResponse(true, false, 0, 9, -1, 14, 15, 46, DATA),
                new DataIn(true, DataIn.FLAG_STATUS | DataIn.FLAG_UNDERFLOW, 0, 1L << 48, 10, -1, 15, 16, 47, 3, 8192, 100, DATA),
                new LogoutResponse(0, 11, 16, 17, 48, 2, 20),
                new R2t(1L << 48, 12, 0x55, 17, 18, 49, 1, 65536, 196608),
                new AsyncMessage(0, 18, 19, 50, AsyncMessage.LOGOUT_REQUESTED, 0, 0, 2, 20, ByteBuffer.allocate(0)),
                new Reject(9, 19, 20, 51, 0, ByteBuffer.allocate(48)));
        for (TargetPdu p : pdus) {
            assertEquals(p, roundTrip(p), p.opcode().toString());
        }
    }

    @Test
    void everyInitiatorPduRoundTrips() {
        byte[] cdb10 = {0x28, 0, 0, 0, 0, 1, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0}; // the BHS CDB field is always 16 bytes
        List<InitiatorPdu> pdus = List.of(
                new NopOut(true, 0, 5, -1, 1, 2, DATA),
                new ScsiCommand(true, true, false, 1, 1L << 48, 6, 4096, 2, 3, cdb10, -1, ByteBuffer.allocate(0)),
                new TaskMgmtRequest(true, TaskMgmtRequest.ABORT_TASK, 1L << 48, 7, 6, 3, 4, 2, 0),
                new LoginRequest(true, false, 0, 1, 0, 0, 0x800000000001L, 0, 0, 1, 1, 0, DATA),
                new TextRequest(false, true, false, 0, 9, -1, 4, 5, DATA),
                new DataOut(true, 1L << 48, 10, 0x55, 6, 0, 65536, DATA),
                new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 11, 1, 5, 7),
                new SnackRequest(SnackRequest.STATUS, 0, 12, -1, 8, 3, 1));
        for (InitiatorPdu p : pdus) {
            assertEquals(p, roundTrip(p), p.opcode().toString());
        }
    }

    @Test
    void longCdbsAndBidiUseAhs() {
        byte[] cdb32 = new byte[32];
        for (int i = 0; i < 32; i++) {
            cdb32[i] = (byte) (0x7f + i);
        }
        ScsiCommand c = new ScsiCommand(true, true, true, 1, 0, 1, 512, 1, 1, cdb32, 4096, ByteBuffer.allocate(0));
        assertEquals(20 + 8, c.ahsLength()); // 4 + 16 extended bytes, then the bidi AHS
        ScsiCommand back = (ScsiCommand) roundTrip(c);
        assertArrayEquals(cdb32, back.cdb());
        assertEquals(4096, back.bidiReadLength());
        ByteBuffer h = PduCodec.encodeHeader(c);
        assertEquals(7, h.get(4)); // TotalAHSLength in words
        assertEquals(17, Bhs.u16(h, 48)); // AHSLength: reserved byte + 16 CDB bytes
        assertEquals(1, h.get(50)); // AHSType extended CDB
    }

    @Test
    void headerFieldsSitWhereTheRfcSays() {
        ByteBuffer h = PduCodec.encodeHeader(new LoginRequest(true, false, 1, 3, 0, 0, 0x00023d000001L, 0x1234, 0xabcdef01,
                0x5678, 0x11223344, 0x55667788, ByteBuffer.allocate(12)));
        assertEquals(0x43, h.get(0) & 0xff); // I bit + opcode 0x03
        assertEquals(0x87, h.get(1) & 0xff); // T, CSG 1, NSG 3
        assertEquals(12, Framing.dataSegmentLength(h));
        assertArrayEquals(new byte[] {0, 2, 0x3d, 0, 0, 1}, java.util.Arrays.copyOfRange(h.array(), 8, 14));
        assertEquals(0x1234, Bhs.u16(h, 14));
        assertEquals(0xabcdef01, h.getInt(16));
        assertEquals(0x5678, Bhs.u16(h, 20));
        assertEquals(0x11223344, h.getInt(24));
        assertEquals(0x55667788, h.getInt(28));
    }

    @Test
    void unknownAndWrongDirectionOpcodes() {
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) 0x3a);
        ProtocolException e = assertThrows(ProtocolException.class, () -> PduCodec.decodeTargetPdu(h, ByteBuffer.allocate(0)));
        assertEquals(Kind.UNKNOWN_OPCODE, e.kind());
        assertTrue(e.getMessage().contains("0x3a"), e.getMessage());
        ByteBuffer cmd = PduCodec.encodeHeader(new NopOut(true, 0, 1, -1, 1, 1, null));
        assertEquals(Kind.UNKNOWN_OPCODE, assertThrows(ProtocolException.class,
                () -> PduCodec.decodeTargetPdu(cmd, ByteBuffer.allocate(0))).kind());
    }

    @Test
    void lengthsMustMatchTheFrame() {
        ByteBuffer h = PduCodec.encodeHeader(new NopIn(0, 1, -1, 1, 1, 1, DATA));
        assertEquals(Kind.TRUNCATED, assertThrows(ProtocolException.class,
                () -> PduCodec.decodeTargetPdu(h, ByteBuffer.allocate(4))).kind());
        assertEquals(Kind.TRUNCATED, assertThrows(ProtocolException.class,
                () -> PduCodec.decodeTargetPdu(ByteBuffer.allocate(20), ByteBuffer.allocate(0))).kind());
    }

    @Test
    void contradictoryFlagsAreBadFields() {
        ByteBuffer h = PduCodec.encodeHeader(new DataIn(true, DataIn.FLAG_STATUS, 0, 0, 1, -1, 1, 1, 1, 0, 0, 0, null));
        h.put(1, (byte) 0x01); // S without F
        assertEquals(Kind.BAD_FIELD, assertThrows(ProtocolException.class,
                () -> PduCodec.decodeTargetPdu(h, ByteBuffer.allocate(0))).kind());
        ByteBuffer r = PduCodec.encodeHeader(new ScsiResponse(0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, null));
        r.put(1, (byte) 0x86); // O and U
        assertEquals(Kind.BAD_FIELD, assertThrows(ProtocolException.class,
                () -> PduCodec.decodeTargetPdu(r, ByteBuffer.allocate(0))).kind());
        ByteBuffer s = PduCodec.encodeHeader(new ScsiResponse(0, 0, 2, 1, 0, 1, 1, 1, 0, 0, 0, ByteBuffer.wrap(new byte[] {0, 20, 1})));
        assertEquals(Kind.BAD_FIELD, assertThrows(ProtocolException.class,
                () -> PduCodec.decodeTargetPdu(s, ByteBuffer.wrap(new byte[] {0, 20, 1}))).kind());
    }

    /** A Task Management Response has no data segment: one that carries data was silently taken before. */
    @Test
    void aTaskManagementResponseWithDataIsABadField() {
        ByteBuffer h = PduCodec.encodeHeader(new TaskMgmtResponse(0, 0x1234, 1, 1, 1));
        h.put(7, (byte) 8); // DataSegmentLength 8
        ProtocolException e = assertThrows(ProtocolException.class, () -> PduCodec.decodeTargetPdu(h, ByteBuffer.allocate(8)));
        assertEquals(Kind.BAD_FIELD, e.kind());
        assertTrue(e.getMessage().contains("Task Management Response for ITT 0x00001234 with a data segment of 8 bytes"), e.getMessage());
    }

    @Test
    void senseIsSlicedOutOfTheResponse() {
        ScsiResponse r = new ScsiResponse(0, 0, 2, 1, 0, 1, 1, 1, 0, 0, 0, ByteBuffer.wrap(new byte[] {0, 3, 0x70, 0, 6, 9}));
        ByteBuffer sense = r.sense();
        assertEquals(3, sense.remaining());
        assertEquals(6, sense.get(2));
    }
}

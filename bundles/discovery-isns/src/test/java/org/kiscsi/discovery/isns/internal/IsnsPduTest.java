package org.kiscsi.discovery.isns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kiscsi.api.IscsiName;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.discovery.DiscoveredTarget;

class IsnsPduTest {
    private static final IscsiName ME = IscsiName.of("iqn.2026-11.org.kiscsi.test:me");

    private static IsnsPdu roundTrip(IsnsPdu p) {
        byte[] all = p.encode();
        return IsnsPdu.decode(Arrays.copyOf(all, IsnsPdu.HEADER), Arrays.copyOfRange(all, IsnsPdu.HEADER, all.length));
    }

    @Test
    void requestsAndResponsesRoundTrip() {
        IsnsPdu req = IsnsPdu.request(IsnsPdu.DEV_ATTR_QRY, IsnsPdu.F_CLIENT | IsnsPdu.F_FIRST | IsnsPdu.F_LAST, 7,
                IsnsMessages.queryTargets(ME));
        IsnsPdu back = roundTrip(req);
        assertEquals(IsnsPdu.DEV_ATTR_QRY, back.function());
        assertEquals(7, back.xid());
        assertEquals(req.attributes(), back.attributes());
        IsnsPdu rsp = roundTrip(IsnsPdu.response(req, IsnsPdu.F_SERVER, 9, List.of(IsnsTlv.u32(IsnsTlv.PG_TAG, 1))));
        assertEquals(0x8002, rsp.function());
        assertEquals(9, rsp.status());
        assertEquals(1, rsp.attributes().get(0).asU32());
    }

    @Test
    void stringsAreNulTerminatedAndPadded() {
        IsnsTlv t = IsnsTlv.string(IsnsTlv.ISCSI_NAME, "abcd");
        assertEquals(8, t.length()); // 4 characters, NUL, 3 bytes of padding
        assertEquals("abcd", t.asString());
        assertEquals(4, IsnsTlv.string(IsnsTlv.ISCSI_NAME, "abc").length());
        assertThrows(IsnsFormatException.class, () -> new IsnsTlv(32, "abcd".getBytes()).asString());
    }

    @Test
    void ipv4IsMappedIntoSixteenBytes() throws Exception {
        IsnsTlv t = IsnsTlv.address(IsnsTlv.PORTAL_IP_ADDRESS, InetAddress.getByName("192.0.2.10"));
        assertEquals(16, t.length());
        assertEquals("192.0.2.10", t.asAddressText());
        assertEquals("2001:db8:0:0:0:0:0:1", IsnsTlv.address(16, InetAddress.getByName("2001:db8::1")).asAddressText());
    }

    @Test
    void truncatedInputFailsSayingWhat() {
        byte[] all = IsnsPdu.request(IsnsPdu.DEV_ATTR_REG, 0, 1, IsnsMessages.register(ME, "e", java.util.Optional.empty(), false, 60))
                .encode();
        byte[] header = Arrays.copyOf(all, IsnsPdu.HEADER);
        byte[] payload = Arrays.copyOfRange(all, IsnsPdu.HEADER, all.length);
        for (int cut = 1; cut < payload.length; cut++) {
            byte[] shorter = Arrays.copyOf(payload, payload.length - cut);
            IsnsFormatException e = assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(header, shorter));
            assertTrue(e.getMessage().contains("header says"), e.getMessage());
            // the header agreeing with the cut payload: a cut inside an attribute fails, one between attributes loses them
            byte[] h = header.clone();
            ByteBuffer.wrap(h).putShort(4, (short) shorter.length);
            try {
                assertTrue(IsnsPdu.decode(h, shorter).attributes().size() < 9, "cut by " + cut);
            } catch (IsnsFormatException expected) {
                assertTrue(expected.getMessage().startsWith("DevAttrReg: attribute"), expected.getMessage());
            }
        }
        assertThrows(IsnsFormatException.class, () -> IsnsPdu.payloadLength(new byte[5]));
    }

    @Test
    void attributeLengthsBeyondThePayloadOrNotAlignedFail() {
        ByteBuffer p = ByteBuffer.allocate(16).putInt(32).putInt(0x7fff_fff0).putInt(0).putInt(0);
        IsnsFormatException e = assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(header(1, 16), p.array()));
        assertTrue(e.getMessage().contains("only 8 bytes follow"), e.getMessage());
        ByteBuffer q = ByteBuffer.allocate(12).putInt(32).putInt(3).putInt(0);
        assertTrue(assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(header(1, 12), q.array())).getMessage()
                .contains("not a multiple of 4"));
        // a 0xffffffff length is not taken as negative
        ByteBuffer r = ByteBuffer.allocate(8).putInt(32).putInt(-1);
        assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(header(1, 8), r.array()));
    }

    @Test
    void unknownFunctionsWrongVersionAndMissingStatusFail() {
        assertTrue(assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(header(0x0042, 0), new byte[0])).getMessage()
                .contains("unknown function 0x0042"));
        byte[] v2 = header(1, 0);
        v2[1] = 2;
        assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(v2, new byte[0]));
        assertTrue(assertThrows(IsnsFormatException.class, () -> IsnsPdu.decode(header(0x8002, 2), new byte[2])).getMessage()
                .contains("status code"));
    }

    @Test
    void oversizedPayloadsAreRefusedWhenEncoding() {
        List<IsnsTlv> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(new IsnsTlv(34, new byte[256]));
        }
        assertThrows(IsnsFormatException.class, () -> IsnsPdu.request(IsnsPdu.DEV_ATTR_REG, 0, 1, many).encode());
    }

    @Test
    void queryAnswersBecomeTargetsWithTheirPortalGroups() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        List<IsnsTlv> answer = List.of(IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, 1), IsnsTlv.delimiter(),
                IsnsTlv.string(IsnsTlv.ISCSI_NAME, "iqn.2026-11.t:a"), IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, 1),
                IsnsTlv.string(IsnsTlv.ISCSI_NAME, "iqn.2026-11.t:i"), IsnsTlv.u32(IsnsTlv.ISCSI_NODE_TYPE, 2),
                IsnsTlv.string(IsnsTlv.PG_ISCSI_NAME, "iqn.2026-11.t:a"), IsnsTlv.address(IsnsTlv.PG_PORTAL_IP_ADDR, lo),
                IsnsTlv.u32(IsnsTlv.PG_PORTAL_PORT, 3260), IsnsTlv.u32(IsnsTlv.PG_TAG, 2),
                IsnsTlv.string(IsnsTlv.PG_ISCSI_NAME, "iqn.2026-11.t:i"), IsnsTlv.address(IsnsTlv.PG_PORTAL_IP_ADDR, lo),
                IsnsTlv.u32(IsnsTlv.PG_PORTAL_PORT, 3261), IsnsTlv.u32(IsnsTlv.PG_TAG, 1));
        assertEquals(List.of(new DiscoveredTarget(IscsiName.of("iqn.2026-11.t:a"), List.of(Portal.of("127.0.0.1", 3260, 2)))),
                IsnsMessages.targets(answer));
        List<IsnsTlv> orphanTag = List.of(IsnsTlv.delimiter(), IsnsTlv.u32(IsnsTlv.PG_TAG, 1));
        assertThrows(IsnsFormatException.class, () -> IsnsMessages.targets(orphanTag));
        List<IsnsTlv> udp = List.of(IsnsTlv.delimiter(), IsnsTlv.u32(IsnsTlv.PG_PORTAL_PORT, 0x10000 | 3260));
        assertThrows(IsnsFormatException.class, () -> IsnsMessages.targets(udp));
        List<IsnsTlv> shortAddress = List.of(IsnsTlv.delimiter(), IsnsTlv.u32(IsnsTlv.PG_PORTAL_IP_ADDR, 1));
        assertThrows(IsnsFormatException.class, () -> IsnsMessages.targets(shortAddress));
    }

    private static byte[] header(int function, int length) {
        return ByteBuffer.allocate(IsnsPdu.HEADER).putShort((short) 1).putShort((short) function).putShort((short) length)
                .putShort((short) 0).putShort((short) 1).putShort((short) 0).array();
    }
}

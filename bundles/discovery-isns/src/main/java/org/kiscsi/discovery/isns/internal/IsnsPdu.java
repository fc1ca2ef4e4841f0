package org.kiscsi.discovery.isns.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An iSNSP PDU (RFC 4171 section 5.1): a 12-byte header (version 1, function id, payload length,
 * flags, transaction id, sequence id) and the payload. A response's payload starts with a 4-byte
 * status code; the rest is attributes.
 */
public record IsnsPdu(int function, int flags, int xid, int seq, List<IsnsTlv> attributes, int status) {
    public static final int HEADER = 12;
    public static final int VERSION = 1;
    /** The largest payload one PDU can carry (the length field is 16 bits). */
    public static final int MAX_PAYLOAD = 0xffff;

    public static final int F_CLIENT = 0x8000;
    public static final int F_SERVER = 0x4000;
    public static final int F_AUTH = 0x2000;
    public static final int F_REPLACE = 0x1000;
    public static final int F_LAST = 0x0800;
    public static final int F_FIRST = 0x0400;

    public static final int DEV_ATTR_REG = 0x0001;
    public static final int DEV_ATTR_QRY = 0x0002;
    public static final int DEV_GET_NEXT = 0x0003;
    public static final int DEV_DEREG = 0x0004;
    public static final int SCN_REG = 0x0005;
    public static final int SCN_DEREG = 0x0006;
    public static final int SCN = 0x0008;
    public static final int ESI = 0x000d;
    public static final int RESPONSE = 0x8000;

    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(DEV_ATTR_REG, "DevAttrReg"),
            Map.entry(DEV_ATTR_QRY, "DevAttrQry"), Map.entry(DEV_GET_NEXT, "DevGetNext"), Map.entry(DEV_DEREG, "DevDereg"),
            Map.entry(SCN_REG, "SCNReg"), Map.entry(SCN_DEREG, "SCNDereg"), Map.entry(0x0007, "SCNEvent"), Map.entry(SCN, "SCN"),
            Map.entry(0x0009, "DDReg"), Map.entry(0x000a, "DDDereg"), Map.entry(0x000b, "DDSReg"), Map.entry(0x000c, "DDSDereg"),
            Map.entry(ESI, "ESI"), Map.entry(0x000e, "Heartbeat"));

    public IsnsPdu {
        attributes = List.copyOf(attributes);
    }

    /** A request (status is not part of a request's payload). */
    public static IsnsPdu request(int function, int flags, int xid, List<IsnsTlv> attributes) {
        return new IsnsPdu(function, flags, xid, 0, attributes, -1);
    }

    public static IsnsPdu response(IsnsPdu to, int flags, int status, List<IsnsTlv> attributes) {
        return new IsnsPdu(to.function | RESPONSE, flags, to.xid, 0, attributes, status);
    }

    public boolean isResponse() {
        return (function & RESPONSE) != 0;
    }

    /** The function's name as RFC 4171 spells it ({@code DevAttrRegRsp}, ...), or its number. */
    public static String name(int function) {
        String n = NAMES.get(function & ~RESPONSE);
        String base = n != null ? n : String.format("function 0x%04x", function & ~RESPONSE);
        return (function & RESPONSE) != 0 ? base + "Rsp" : base;
    }

    public static boolean known(int function) {
        return NAMES.containsKey(function & ~RESPONSE);
    }

    /** The whole PDU, header and payload; refuses a payload over {@link #MAX_PAYLOAD}. */
    public byte[] encode() {
        int len = isResponse() ? 4 : 0;
        for (IsnsTlv t : attributes) {
            len += 8 + t.length();
        }
        if (len > MAX_PAYLOAD) {
            throw new IsnsFormatException(name(function) + " payload of " + len + " bytes exceeds " + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + len);
        b.putShort((short) VERSION).putShort((short) function).putShort((short) len).putShort((short) flags)
                .putShort((short) xid).putShort((short) seq);
        if (isResponse()) {
            b.putInt(status);
        }
        for (IsnsTlv t : attributes) {
            b.putInt(t.tag()).putInt(t.length()).put(t.value());
        }
        return b.array();
    }

    /** The header's payload length; checks version. */
    public static int payloadLength(byte[] header) {
        if (header.length != HEADER) {
            throw new IsnsFormatException("header of " + header.length + " bytes, expected " + HEADER);
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        int version = b.getShort() & 0xffff;
        if (version != VERSION) {
            throw new IsnsFormatException("iSNSP version " + version + ", expected " + VERSION);
        }
        return b.getShort(4) & 0xffff;
    }

    /** Decodes a header and its payload strictly: unknown functions, cut or overlong attributes fail. */
    public static IsnsPdu decode(byte[] header, byte[] payload) {
        int declared = payloadLength(header);
        if (payload.length != declared) {
            throw new IsnsFormatException("payload of " + payload.length + " bytes where the header says " + declared);
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        int function = h.getShort(2) & 0xffff;
        int flags = h.getShort(6) & 0xffff;
        int xid = h.getShort(8) & 0xffff;
        int seq = h.getShort(10) & 0xffff;
        if (!known(function)) {
            throw new IsnsFormatException("unknown " + name(function));
        }
        if ((flags & F_AUTH) != 0) {
            throw new IsnsFormatException(name(function) + " carries an authentication block (iSNS security is not supported)");
        }
        ByteBuffer p = ByteBuffer.wrap(payload);
        int status = -1;
        boolean response = (function & RESPONSE) != 0;
        if (response) {
            if (p.remaining() < 4) {
                throw new IsnsFormatException(name(function) + " without its 4-byte status code (" + p.remaining() + " bytes)");
            }
            status = p.getInt();
        }
        List<IsnsTlv> attrs = new ArrayList<>();
        while (p.hasRemaining()) {
            if (p.remaining() < 8) {
                throw new IsnsFormatException(name(function) + ": attribute header cut off (" + p.remaining() + " bytes left)");
            }
            int tag = p.getInt();
            long len = p.getInt() & 0xffffffffL;
            if (len % 4 != 0) {
                throw new IsnsFormatException(name(function) + ": attribute " + tag + " has length " + len + ", not a multiple of 4");
            }
            if (len > p.remaining()) {
                throw new IsnsFormatException(name(function) + ": attribute " + tag + " has length " + len + " but only "
                        + p.remaining() + " bytes follow");
            }
            byte[] v = new byte[(int) len];
            p.get(v);
            attrs.add(new IsnsTlv(tag, v));
        }
        return new IsnsPdu(function, flags, xid, seq, attrs, status);
    }

    @Override
    public String toString() {
        return name(function) + " xid " + xid + (isResponse() ? " status " + status : "") + " " + attributes;
    }
}

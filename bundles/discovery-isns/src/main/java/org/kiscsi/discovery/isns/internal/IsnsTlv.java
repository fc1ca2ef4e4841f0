package org.kiscsi.discovery.isns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One iSNS attribute (RFC 4171 section 5.5): a 4-byte tag, a 4-byte length (a multiple of 4) and
 * the value. Strings are UTF-8, NUL-terminated and padded; addresses are 16 bytes (IPv4 mapped
 * into IPv6); numbers are 4 bytes, big-endian.
 */
public record IsnsTlv(int tag, byte[] value) {
    public static final int DELIMITER = 0;
    public static final int ENTITY_IDENTIFIER = 1;
    public static final int ENTITY_PROTOCOL = 2;
    public static final int TIMESTAMP = 4;
    public static final int REGISTRATION_PERIOD = 6;
    public static final int PORTAL_IP_ADDRESS = 16;
    public static final int PORTAL_PORT = 17;
    public static final int ESI_INTERVAL = 19;
    public static final int ESI_PORT = 20;
    public static final int SCN_PORT = 23;
    public static final int ISCSI_NAME = 32;
    public static final int ISCSI_NODE_TYPE = 33;
    public static final int ISCSI_SCN_BITMAP = 35;
    public static final int PG_ISCSI_NAME = 48;
    public static final int PG_PORTAL_IP_ADDR = 49;
    public static final int PG_PORTAL_PORT = 50;
    public static final int PG_TAG = 51;

    public static final int ENTITY_PROTOCOL_ISCSI = 2;
    public static final int NODE_TYPE_TARGET = 1;
    public static final int NODE_TYPE_INITIATOR = 2;
    public static final int SCN_OBJECT_UPDATED = 1 << 2;
    public static final int SCN_OBJECT_ADDED = 1 << 3;
    public static final int SCN_OBJECT_REMOVED = 1 << 4;
    public static final int SCN_TARGET_AND_SELF_ONLY = 1 << 6;

    public IsnsTlv {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    public static IsnsTlv empty(int tag) {
        return new IsnsTlv(tag, new byte[0]);
    }

    public static IsnsTlv delimiter() {
        return empty(DELIMITER);
    }

    public static IsnsTlv u32(int tag, int v) {
        return new IsnsTlv(tag, ByteBuffer.allocate(4).putInt(v).array());
    }

    public static IsnsTlv string(int tag, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new IsnsTlv(tag, Arrays.copyOf(b, (b.length + 4) & ~3)); // NUL, then padding to 4
    }

    public static IsnsTlv address(int tag, InetAddress a) {
        byte[] v = new byte[16];
        byte[] raw = a.getAddress();
        if (raw.length == 4) {
            v[10] = (byte) 0xff;
            v[11] = (byte) 0xff;
            System.arraycopy(raw, 0, v, 12, 4);
        } else {
            System.arraycopy(raw, 0, v, 0, 16);
        }
        return new IsnsTlv(tag, v);
    }

    public int asU32() {
        if (value.length != 4) {
            throw new IsnsFormatException("attribute " + tag + " has length " + value.length + ", expected 4");
        }
        return ByteBuffer.wrap(value).getInt();
    }

    /** A TCP port attribute: the low 16 bits (bit 16 set means UDP, which iSCSI does not use). */
    public int asPort() {
        int v = asU32();
        if ((v & 0x10000) != 0) {
            throw new IsnsFormatException("attribute " + tag + " names a UDP port (" + (v & 0xffff) + ")");
        }
        return v & 0xffff;
    }

    public String asString() {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        if (end == value.length && value.length > 0) {
            throw new IsnsFormatException("attribute " + tag + " is a string without its terminating NUL");
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /** The address text as kiscsi's portals carry it (IPv4 dotted when IPv4-mapped). */
    public String asAddressText() {
        if (value.length != 16) {
            throw new IsnsFormatException("attribute " + tag + " has length " + value.length + ", expected 16 (an IP address)");
        }
        try {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= value[i] == 0;
            }
            boolean compatible = mapped && value[10] == 0 && value[11] == 0 && (value[12] | value[13]) != 0;
            mapped &= value[10] == (byte) 0xff && value[11] == (byte) 0xff;
            mapped |= compatible; // ::a.b.c.d, the IPv4-compatible form some servers send
            InetAddress a = mapped ? InetAddress.getByAddress(Arrays.copyOfRange(value, 12, 16)) : InetAddress.getByAddress(value);
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IsnsFormatException("attribute " + tag + ": " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IsnsTlv t && t.tag == tag && Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode() {
        return tag * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "tag " + tag + " (" + value.length + " bytes)";
    }
}

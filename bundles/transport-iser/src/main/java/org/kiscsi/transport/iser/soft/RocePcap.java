package org.kiscsi.transport.iser.soft;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes what crosses a {@link SoftFabric} as RoCEv2 frames (Ethernet, IPv4, UDP port 4791, the IB
 * base transport header, RETH/IETH/AETH where the opcode has one, payload, a zero ICRC) to a pcap
 * file, so tshark's InfiniBand and iSER dissectors can read the traffic, with the connection
 * manager's REQ/REP/RTU before each connection's first frame. IPv4 endpoints only.
 */
public final class RocePcap implements SoftTap, AutoCloseable {
    private static final int ROCE_PORT = 4791;
    private final OutputStream out;
    private static final int MAD_HEADER = 24;
    private static final short ATTR_REQ = 0x0010;
    private static final short ATTR_REP = 0x0013;
    private static final short ATTR_RTU = 0x0014;
    private final Map<Integer, Integer> psn = new HashMap<>();
    private int connections;

    public RocePcap(Path file) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file));
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(h.array());
    }

    /**
     * The CM's REQ, REP and RTU as the connection managers exchange them: MADs (class 0x07, method
     * Send) in UD Sends to QP1. The REQ's Service ID is the IP CM's for TCP port space
     * (0x0000000001060000 | port, IBTA Annex A11) and its primary path GIDs are the endpoints' IPv4
     * addresses mapped to IPv6 (::ffff:a.b.c.d), as RoCEv2 has them: so tshark ties both directions of
     * the RC connection to the service and hands their payload to its iSER dissector unasked.
     */
    @Override
    public synchronized void connected(InetSocketAddress client, int clientQpn, InetSocketAddress server, int serverQpn, byte[] req,
            byte[] rep) {
        long transaction = 0x4B49_5343_0000_0000L | ++connections;
        int clientComm = 0x1000 + connections;
        int serverComm = 0x2000 + connections;
        long serviceId = 0x0000_0000_0106_0000L | server.getPort();

        ByteBuffer r = mad(transaction, ATTR_REQ);
        r.putInt(clientComm).putInt(0).putLong(serviceId).putLong(guid(client)).putInt(0).putInt(0)
                .putInt(clientQpn << 8 | 4) // local QPN, responder resources
                .putInt(0) // local EECN, initiator depth
                .putInt(0x10 << 3 | 0 << 1) // remote CM response timeout, transport service RC
                .putInt(0 << 8 | 0x10 << 3 | 7) // starting PSN, local CM response timeout, retry count
                .putShort((short) 0xFFFF) // P_Key
                .put((byte) (5 << 4 | 6)) // path MTU 4096, RNR retry 6
                .put((byte) (15 << 4)) // max CM retries
                .putShort((short) 0).putShort((short) 0) // primary local and remote LIDs: none on RoCE
                .put(mappedGid(client)).put(mappedGid(server))
                .putInt(0).put((byte) 0).put((byte) 64).put((byte) 0).put((byte) (0x12 << 3));
        r.position(MAD_HEADER + 140);
        // IP CM private data: version 0, IPv4, source port, source and destination addresses, then the consumer's
        r.put((byte) 0).put((byte) 0x40).putShort((short) client.getPort()).put(new byte[12]).put(v4(client)).put(new byte[12])
                .put(v4(server)).put(req, 0, Math.min(req.length, 56));
        mad(client, 1, server, r);

        ByteBuffer a = mad(transaction, ATTR_REP);
        a.putInt(serverComm).putInt(clientComm).putInt(0).putInt(serverQpn << 8).putInt(0).putInt(0)
                .put((byte) 0).put((byte) 4).put((byte) 0).put((byte) (6 << 5)).putLong(guid(server))
                .put(rep, 0, Math.min(rep.length, 196));
        mad(server, 1, client, a);

        ByteBuffer t = mad(transaction, ATTR_RTU);
        t.putInt(clientComm).putInt(serverComm);
        mad(client, 1, server, t);
    }

    /** A CM MAD of 256 bytes with its common header, positioned at the attribute's data. */
    private static ByteBuffer mad(long transaction, short attribute) {
        ByteBuffer m = ByteBuffer.allocate(256);
        m.put((byte) 1).put((byte) 0x07).put((byte) 2).put((byte) 0x03).putShort((short) 0).putShort((short) 0).putLong(transaction)
                .putShort(attribute).putShort((short) 0).putInt(0);
        return m;
    }

    /** A MAD in a UD Send-only to QP1 with its DETH (the CM's Q_Key 0x80010000, source QP 1). */
    private void mad(InetSocketAddress src, int srcQpn, InetSocketAddress dst, ByteBuffer mad) {
        ByteBuffer deth = ByteBuffer.allocate(8).putInt(0, 0x8001_0000).putInt(4, srcQpn);
        write(src, srcQpn, dst, 1, 0x64, deth, mad.array());
    }

    private static byte[] mappedGid(InetSocketAddress a) {
        return ByteBuffer.allocate(16).putShort(10, (short) 0xFFFF).put(12, v4(a)).array();
    }

    private static long guid(InetSocketAddress a) {
        return 0x0200_00FF_FE00_0000L | ByteBuffer.wrap(v4(a)).getInt() & 0xFF_FFFFL;
    }

    @Override
    public synchronized void frame(Kind kind, InetSocketAddress src, int srcQpn, InetSocketAddress dst, int dstQpn, byte[] payload,
            long remoteAddress, int rkey, int length) {
        int opcode;
        ByteBuffer ext;
        switch (kind) {
            case SEND -> {
                opcode = 0x04;
                ext = ByteBuffer.allocate(0);
            }
            case SEND_WITH_INVALIDATE -> {
                opcode = 0x17;
                ext = ByteBuffer.allocate(4).putInt(0, rkey);
            }
            case RDMA_WRITE -> {
                opcode = 0x0A;
                ext = ByteBuffer.allocate(16).putLong(0, remoteAddress).putInt(8, rkey).putInt(12, length);
            }
            case RDMA_READ_REQUEST -> {
                opcode = 0x0C;
                ext = ByteBuffer.allocate(16).putLong(0, remoteAddress).putInt(8, rkey).putInt(12, length);
            }
            default -> {
                opcode = 0x10;
                ext = ByteBuffer.allocate(4);
            }
        }
        write(src, srcQpn, dst, dstQpn, opcode, ext, payload);
    }

    /** One RoCEv2 frame: Ethernet, IPv4, UDP to 4791, BTH, the extension headers, the payload, a zero ICRC. */
    private void write(InetSocketAddress src, int srcQpn, InetSocketAddress dst, int dstQpn, int opcode, ByteBuffer ext, byte[] payload) {
        int pad = (4 - payload.length % 4) % 4;
        int ib = 12 + ext.capacity() + payload.length + pad + 4;
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + ib);
        f.put(new byte[] {2, 0, 0, 0, 0, (byte) (dstQpn & 0xFF), 2, 0, 0, 0, 0, (byte) (srcQpn & 0xFF)}).putShort((short) 0x0800);
        int ip = f.position();
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + ib)).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(v4(src)).put(v4(dst));
        f.putShort(ip + 10, checksum(f, ip, 20));
        f.putShort((short) (0xC000 | srcQpn & 0x3FFF)).putShort((short) ROCE_PORT).putShort((short) (8 + ib)).putShort((short) 0);
        int n = psn.merge(srcQpn, 1, Integer::sum) - 1;
        f.put((byte) opcode).put((byte) (pad << 4)).putShort((short) 0xFFFF).putInt(dstQpn & 0xFFFFFF).putInt(n & 0xFFFFFF);
        f.put(ext.clear()).put(payload).put(new byte[pad]).putInt(0);
        try {
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            long now = System.currentTimeMillis();
            rec.putInt((int) (now / 1000)).putInt((int) (now % 1000) * 1000).putInt(f.capacity()).putInt(f.capacity());
            out.write(rec.array());
            out.write(f.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] v4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address ? a.getAddress().getAddress() : new byte[4];
    }

    private static short checksum(ByteBuffer b, int at, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += b.getShort(at + i) & 0xFFFF;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}

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
 * file, so tshark's InfiniBand and iSER dissectors can read the traffic. IPv4 endpoints only.
 */
public final class RocePcap implements SoftTap, AutoCloseable {
    private static final int ROCE_PORT = 4791;
    private final OutputStream out;
    private final Map<Integer, Integer> psn = new HashMap<>();

    public RocePcap(Path file) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file));
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(h.array());
    }

    @Override
    public void connected(InetSocketAddress client, int clientQpn, InetSocketAddress server, int serverQpn, byte[] req, byte[] rep) {
        // CM MADs are not written: decode with -d, see the module's tests
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

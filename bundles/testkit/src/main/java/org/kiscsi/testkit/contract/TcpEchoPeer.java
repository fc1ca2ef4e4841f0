package org.kiscsi.testkit.contract;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.Framing;
import org.kiscsi.spi.transport.LinkSettings;

/**
 * The {@link EchoPeer} for transports that frame PDUs on TCP as RFC 7143 does (the TCP transport, a
 * vendor's TCP-based one): written with plain java.net so it shares no code with a transport, it
 * frames PDUs by their BHS lengths (digests as configured), echoes each one, closes on a Logout
 * Request. Also runs alone ({@link #main}) for tests that put it in another network namespace.
 */
public final class TcpEchoPeer implements EchoPeer {
    private static final int OP_LOGOUT_REQUEST = 0x06;

    private final ServerSocket server;
    private final InetAddress bound;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    /** The source address of every connection accepted, in order. */
    public final List<InetAddress> clients = new CopyOnWriteArrayList<>();
    /** Why a connection was dropped by this peer (a digest it did not like), if ever. */
    public final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile LinkSettings settings = new LinkSettings(false, false, Framing.MAX_DATA_SEGMENT_LENGTH);

    public TcpEchoPeer(InetAddress bind) throws IOException {
        this.bound = bind;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(bind, 0), 16);
        acceptor = new Thread(this::acceptLoop, "echo-peer-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static TcpEchoPeer onLoopback() throws IOException {
        return new TcpEchoPeer(InetAddress.getLoopbackAddress());
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public Portal portal() {
        String host = bound.getHostAddress();
        int zone = host.indexOf('%');
        return Portal.of(zone >= 0 ? host.substring(0, zone) : host, port());
    }

    @Override
    public void configure(LinkSettings s) {
        settings = s;
    }

    @Override
    public int connectionsAccepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            clients.add(s.getInetAddress());
            sockets.add(s);
            Thread t = new Thread(() -> serve(s), "echo-peer-" + s.getPort());
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 17);
            while (true) {
                byte[] header = new byte[Framing.BHS_LENGTH];
                if (!readFullyOrEof(in, header)) {
                    return;
                }
                LinkSettings st = settings; // read once the PDU has begun, as the transport does
                int ahs = Framing.ahsLength(ByteBuffer.wrap(header));
                int dataLength = Framing.dataSegmentLength(ByteBuffer.wrap(header));
                byte[] full = new byte[Framing.BHS_LENGTH + ahs];
                System.arraycopy(header, 0, full, 0, header.length);
                in.readFully(full, Framing.BHS_LENGTH, ahs);
                if (st.headerDigest() && readDigest(in) != Framing.crc32c(ByteBuffer.wrap(full))) {
                    problems.add("header digest mismatch");
                    return;
                }
                byte[] data = new byte[dataLength];
                in.readFully(data);
                in.readFully(new byte[Framing.padding(dataLength)]);
                if (st.dataDigest() && dataLength > 0 && readDigest(in) != Framing.dataDigest(ByteBuffer.wrap(data))) {
                    problems.add("data digest mismatch");
                    return;
                }
                if ((full[0] & 0x3F) == OP_LOGOUT_REQUEST) {
                    return; // closes the socket
                }
                writeFrame(out, full, data, st);
                out.flush();
            }
        } catch (EOFException | SocketException e) {
            // the transport closed
        } catch (IOException e) {
            problems.add(e.toString());
        }
    }

    /** Header, its digest, data, padding, data digest: as the settings in force say. */
    private static void writeFrame(OutputStream out, byte[] header, byte[] data, LinkSettings st) throws IOException {
        out.write(header);
        if (st.headerDigest()) {
            out.write(digest(Framing.crc32c(ByteBuffer.wrap(header))));
        }
        out.write(data);
        out.write(new byte[Framing.padding(data.length)]);
        if (st.dataDigest() && data.length > 0) {
            out.write(digest(Framing.dataDigest(ByteBuffer.wrap(data))));
        }
    }

    private static byte[] digest(int d) {
        ByteBuffer b = ByteBuffer.allocate(4);
        Framing.putDigest(b, d);
        return b.array();
    }

    private static boolean readFullyOrEof(InputStream in, byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                if (n == 0) {
                    return false;
                }
                throw new EOFException("stream ended inside a BHS");
            }
            n += r;
        }
        return true;
    }

    private static int readDigest(DataInputStream in) throws IOException {
        byte[] d = new byte[4];
        in.readFully(d);
        return Framing.getDigest(ByteBuffer.wrap(d));
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to do
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
        List<Thread> all = new ArrayList<>(workers);
        all.add(acceptor);
        for (Thread t : all) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs a peer alone: {@code TcpEchoPeer <bind-address>}. Prints {@code LISTENING <port>}, serves
     * until its stdin closes (or 120 s pass), then exits.
     */
    public static void main(String[] args) throws Exception {
        try (TcpEchoPeer peer = new TcpEchoPeer(InetAddress.getByName(args[0]))) {
            System.out.println("LISTENING " + peer.port());
            System.out.flush();
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // until EOF
                    }
                } catch (IOException e) {
                    // treat as EOF
                }
            });
            stdin.setDaemon(true);
            stdin.start();
            stdin.join(TimeUnit.SECONDS.toMillis(120));
        }
    }
}

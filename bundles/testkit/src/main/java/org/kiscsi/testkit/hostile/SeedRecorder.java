package org.kiscsi.testkit.hostile;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kiscsi.api.Portal;
import org.kiscsi.protocol.PduStream;

/**
 * A TCP proxy on 127.0.0.1 that records every PDU between an initiator and a real target into a
 * {@link SeedConversation}, following the digests their login negotiates. Two threads per
 * connection; {@link #close()} resets everything.
 */
public final class SeedRecorder implements AutoCloseable {
    private static final int MAX_SEGMENT = 16 << 20;

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<SeedConversation.Event> events = new ArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private int connections;

    private SeedRecorder(Portal upstream) throws IOException {
        this.upstream = upstream.toSocketAddress();
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        this.acceptor = new Thread(this::acceptLoop, "seed-recorder-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    public static SeedRecorder start(Portal upstream) throws IOException {
        SeedRecorder r = new SeedRecorder(upstream);
        r.acceptor.start();
        return r;
    }

    /** Where initiators connect, with the upstream portal's TPGT. */
    public Portal portal(int tpgt) {
        return Portal.of("127.0.0.1", server.getLocalPort(), tpgt);
    }

    /** What was recorded until now. */
    public SeedConversation conversation() {
        synchronized (events) {
            return new SeedConversation(events);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket initiator = server.accept();
                Socket target = new Socket();
                target.connect(upstream, 2000);
                initiator.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                sockets.add(initiator);
                sockets.add(target);
                int index;
                synchronized (this) {
                    index = connections++;
                }
                PduStream toTarget = new PduStream("initiator");
                PduStream toInitiator = new PduStream("target");
                toTarget.configure(false, false, MAX_SEGMENT);
                toInitiator.configure(false, false, MAX_SEGMENT);
                LoginWatch login = new LoginWatch(toTarget, toInitiator);
                pump(index, true, initiator, target, toTarget, login);
                pump(index, false, target, initiator, toInitiator, login);
            } catch (IOException e) {
                return; // closed, or the target is not there
            }
        }
    }

    private void pump(int index, boolean fromInitiator, Socket from, Socket to, PduStream stream, LoginWatch login) throws IOException {
        InputStream in = new BufferedInputStream(from.getInputStream());
        OutputStream out = new BufferedOutputStream(to.getOutputStream());
        Thread t = new Thread(() -> {
            try {
                PduStream.Frame f;
                while ((f = stream.read(in)) != null) {
                    byte[] header = bytes(f.header());
                    byte[] data = bytes(f.data());
                    synchronized (events) {
                        events.add(new SeedConversation.Event(fromInitiator, index, header, data));
                    }
                    boolean loginDone = !fromInitiator && login.response(header, data);
                    stream.write(out, ByteBuffer.wrap(header), ByteBuffer.wrap(data));
                    if (loginDone) {
                        login.applyToTargetStream();
                    }
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "seed-recorder-c" + index + (fromInitiator ? "-to-target" : "-to-initiator"));
        t.setDaemon(true);
        t.start();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate().position(0);
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(SeedRecorder::closeQuietly);
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Turns the digests on in both directions once the target's Login Responses negotiated them. */
    private static final class LoginWatch {
        private final PduStream toTarget;
        private final PduStream toInitiator;
        private final StringBuilder text = new StringBuilder();

        LoginWatch(PduStream toTarget, PduStream toInitiator) {
            this.toTarget = toTarget;
            this.toInitiator = toInitiator;
        }

        private boolean hd;
        private boolean dd;

        /**
         * Reads a target PDU before it is forwarded; at the end of login turns the digests on for the
         * initiator's next PDU, and returns true: the target's own stream follows once this PDU is out.
         */
        boolean response(byte[] header, byte[] data) {
            if ((header[0] & 0x3F) != 0x23) {
                return false;
            }
            text.append(new String(data, java.nio.charset.StandardCharsets.UTF_8)).append('\0');
            boolean transit = (header[1] & 0x80) != 0;
            if (transit && (header[1] & 0x03) == 3) {
                hd = ReplayText.value(text.toString(), "HeaderDigest").equals("CRC32C");
                dd = ReplayText.value(text.toString(), "DataDigest").equals("CRC32C");
                toTarget.configure(hd, dd, MAX_SEGMENT);
                return true;
            }
            return false;
        }

        void applyToTargetStream() {
            toInitiator.configure(hd, dd, MAX_SEGMENT);
        }
    }
}

package org.kiscsi.discovery.isns.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.kiscsi.api.IscsiName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports the iSNS server calls us on: state-change notifications (SCN, answered with SCNRsp and
 * then reported to {@code onScn}) and entity status inquiries (ESI, answered with ESIRsp echoing
 * the inquiry). Bound to one address (never the wildcard unless that is what was configured); each
 * port has its accept thread and each connection its reader thread, all of the watch's own.
 */
public final class IsnsCallbacks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IsnsCallbacks.class);
    /** How long a server connection may stay silent before we drop it (isnsd reconnects as needed). */
    private static final Duration IDLE = Duration.ofMinutes(10);

    private final String server;
    private final IscsiName me;
    private final Runnable onScn;
    private final ServerSocket scn;
    private final ServerSocket esi;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private IsnsCallbacks(String server, IscsiName me, Runnable onScn, ServerSocket scn, ServerSocket esi) {
        this.server = server;
        this.me = me;
        this.onScn = onScn;
        this.scn = scn;
        this.esi = esi;
    }

    /** Binds both ports on {@code address} (0: an ephemeral port) and starts accepting. */
    public static IsnsCallbacks listen(String server, IscsiName me, InetAddress address, int scnPort, int esiPort, Runnable onScn)
            throws IOException {
        ServerSocket s = new ServerSocket();
        ServerSocket e = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(address, scnPort));
            e.bind(new InetSocketAddress(address, esiPort));
        } catch (IOException ex) {
            s.close();
            e.close();
            throw ex;
        }
        IsnsCallbacks c = new IsnsCallbacks(server, me, onScn, s, e);
        c.thread("scn-accept", () -> c.accept(s));
        c.thread("esi-accept", () -> c.accept(e));
        return c;
    }

    public InetAddress address() {
        return scn.getInetAddress();
    }

    public int scnPort() {
        return scn.getLocalPort();
    }

    public int esiPort() {
        return esi.getLocalPort();
    }

    private void thread(String what, Runnable r) {
        Thread t = new Thread(r, "kiscsi-isns-" + what + "-" + server);
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocket listening) {
        while (!closed) {
            try {
                Socket s = listening.accept();
                open.add(s);
                thread("conn", () -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("iSNS {}: accepting on {} failed: {}", server, listening.getLocalSocketAddress(), e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(Socket s) {
        String peer = s.getRemoteSocketAddress().toString();
        try (s) {
            s.setSoTimeout((int) IDLE.toMillis());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                IsnsPdu pdu = IsnsConnection.read(in);
                out.write(answer(pdu, me).encode());
                out.flush();
                if (pdu.function() == IsnsPdu.SCN) {
                    LOG.debug("iSNS {}: SCN from {} answered", server, peer);
                    onScn.run();
                } else if (pdu.function() == IsnsPdu.ESI) {
                    LOG.debug("iSNS {}: ESI from {} answered", server, peer);
                } else {
                    LOG.warn("iSNS {}: {} sent {} to our SCN/ESI port; answered Message Not Supported", server, peer,
                            IsnsPdu.name(pdu.function()));
                }
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("iSNS {}: {} idle, closing", server, peer);
        } catch (IsnsFormatException e) {
            LOG.warn("iSNS {}: bad PDU from {} on our SCN/ESI port, connection closed: {}", server, peer, e.getMessage());
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("iSNS {}: {} closed: {}", server, peer, e.getMessage());
            }
        } finally {
            open.remove(s);
        }
    }

    /**
     * What this side answers to a PDU on its SCN/ESI ports: SCNRsp naming us, ESIRsp echoing the
     * ESI's attributes, and Message Not Supported (status 15) to anything else rather than silence.
     */
    static IsnsPdu answer(IsnsPdu pdu, IscsiName me) {
        int flags = IsnsPdu.F_CLIENT | IsnsPdu.F_FIRST | IsnsPdu.F_LAST;
        if (pdu.function() == IsnsPdu.SCN) {
            return IsnsPdu.response(pdu, flags, 0, List.of(IsnsTlv.string(IsnsTlv.ISCSI_NAME, me.toString())));
        }
        if (pdu.function() == IsnsPdu.ESI) {
            return IsnsPdu.response(pdu, flags, 0, pdu.attributes());
        }
        return IsnsPdu.response(pdu, flags, 15, List.of());
    }

    @Override
    public void close() {
        closed = true;
        for (java.io.Closeable c : List.<java.io.Closeable>of(scn, esi)) {
            try {
                c.close();
            } catch (IOException e) {
                // closing
            }
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}

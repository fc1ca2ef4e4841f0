package org.kiscsi.export.nbd.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.kiscsi.export.nbd.NbdServer;
import org.kiscsi.export.nbd.NbdServerOptions;

/**
 * Where the daemon's NBD server listens and with which per-connection limits, from the component's
 * configuration. Two equal values need no restart of the server.
 *
 * @param socket the Unix socket ("" for none); relative to the installation directory unless absolute
 * @param port the TCP port (0 for none)
 * @param address the TCP address
 */
record Listening(String socket, int port, String address, NbdServerOptions options) {
    static Listening of(NbdExportComponent.Config c) {
        NbdServerOptions o = new NbdServerOptions(c.maxInFlight(), c.maxHeldBytes(), Duration.ofSeconds(c.stallTimeoutSeconds()),
                NbdServerOptions.DEFAULTS.closeGrace());
        if (c.tcp_port() < 0 || c.tcp_port() > 65535) {
            throw new IllegalArgumentException("tcp.port " + c.tcp_port() + ": 0 (no TCP) to 65535");
        }
        return new Listening(c.socket().trim(), c.tcp_port(), c.tcp_address().trim(), o);
    }

    /** A server listening as this says; {@code listeners} gets where ({@code unix:/path}, {@code tcp:host:port}). */
    NbdServer start(List<String> listeners) {
        NbdServer server = NbdServer.start(options);
        try {
            if (!socket.isEmpty()) {
                Path p = Path.of(socket);
                if (!p.isAbsolute()) {
                    p = Path.of(System.getProperty("karaf.base", System.getProperty("karaf.home", "."))).resolve(p);
                }
                listeners.add("unix:" + server.listenUnix(p));
            }
            if (port > 0) {
                InetSocketAddress a = server.listenTcp(new InetSocketAddress(InetAddress.getByName(address), port));
                String host = a.getAddress().getHostAddress();
                listeners.add("tcp:" + (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort());
            }
            return server;
        } catch (UnknownHostException | RuntimeException e) {
            server.close();
            throw new IllegalArgumentException("NBD export: cannot listen (" + this + "): " + e.getMessage(), e);
        }
    }
}

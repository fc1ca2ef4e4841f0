package org.kiscsi.transport.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.AfterEach;
import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.EchoPeer;
import org.kiscsi.testkit.contract.TcpEchoPeer;
import org.kiscsi.testkit.contract.TransportContract;

/**
 * The vendor kit's contract suite, rerun on the example transport: all a transport's own test needs
 * is the transport, an echo peer it can reach (the testkit's {@link TcpEchoPeer} for TCP framing) and
 * a portal where nothing listens.
 */
class NioTransportContractTest extends TransportContract {
    private NioTransport nio;

    @Override
    protected TransportProvider createTransport() {
        nio = new NioTransport();
        return nio;
    }

    @Override
    protected EchoPeer createPeer() {
        try {
            return TcpEchoPeer.onLoopback();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port nobody listens on: bound once for a free number, then released. */
    @Override
    protected Portal deadPortal() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return Portal.of(InetAddress.getLoopbackAddress().getHostAddress(), s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void closeTransport() {
        if (nio != null) {
            nio.close();
        }
    }
}

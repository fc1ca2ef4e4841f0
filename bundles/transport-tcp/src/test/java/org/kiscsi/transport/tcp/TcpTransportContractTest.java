package org.kiscsi.transport.tcp;

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

/** The transport contract suite over real TCP on the loopback interface. */
class TcpTransportContractTest extends TransportContract {
    private TcpTransport tcp;

    /**
     * AHS entry checking is off here only because the testkit's {@code Pdus.build} fills the AHS
     * with random bytes, which are not well-formed AHS entries; MalformedStreamTest covers the check.
     */
    @Override
    protected TransportProvider createTransport() {
        tcp = new TcpTransport(options());
        return tcp;
    }

    TcpOptions options() {
        return TcpOptions.DEFAULTS.withCheckAhsEntries(false);
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
        if (tcp != null) {
            tcp.close();
        }
    }
}

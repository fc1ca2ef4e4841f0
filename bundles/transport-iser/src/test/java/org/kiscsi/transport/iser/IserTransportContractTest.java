package org.kiscsi.transport.iser;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.EchoPeer;
import org.kiscsi.testkit.contract.TransportContract;
import org.kiscsi.transport.iser.soft.SoftFabric;
import org.kiscsi.transport.iser.testtarget.SoftEchoPeer;
import org.kiscsi.transport.iser.verbs.VerbsException;

/**
 * The transport contract on iSER over the software verbs provider. The contract's PDUs carry up to
 * 64 KiB of data in one Send, so this transport declares an InitiatorRecvDataSegmentLength that
 * takes them (its receive buffers are that large); the echo peer's are too.
 */
class IserTransportContractTest extends TransportContract {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final SoftFabric fabric = new SoftFabric();
    private IserTransport iser;

    @Override
    protected TransportProvider createTransport() {
        iser = new IserTransport(fabric.verbs("soft-initiator", LOOPBACK),
                new IserOptions(128 * 1024, 128 * 1024, 32, 256, false, 64));
        return iser;
    }

    @Override
    protected EchoPeer createPeer() {
        try {
            SoftEchoPeer peer = new SoftEchoPeer(fabric, new InetSocketAddress(LOOPBACK, 3260));
            // the contract closes its peer last: the transport and the fabric go with it
            return new EchoPeer() {
                @Override
                public Portal portal() {
                    return peer.portal();
                }

                @Override
                public void configure(org.kiscsi.spi.transport.LinkSettings settings) {
                    peer.configure(settings);
                }

                @Override
                public int connectionsAccepted() {
                    return peer.connectionsAccepted();
                }

                @Override
                public void close() {
                    peer.close();
                    iser.close();
                    fabric.close();
                }
            };
        } catch (VerbsException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Portal deadPortal() {
        return Portal.of(LOOPBACK.getHostAddress(), 3261);
    }
}

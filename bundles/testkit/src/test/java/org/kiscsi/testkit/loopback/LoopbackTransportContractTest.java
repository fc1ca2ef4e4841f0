package org.kiscsi.testkit.loopback;

import org.kiscsi.api.Portal;
import org.kiscsi.spi.transport.TransportProvider;
import org.kiscsi.testkit.contract.EchoPeer;
import org.kiscsi.testkit.contract.TransportContract;

/** The transport contract suite, run against the in-JVM transport. */
class LoopbackTransportContractTest extends TransportContract {
    @Override
    protected TransportProvider createTransport() {
        return new LoopbackTransport();
    }

    @Override
    protected EchoPeer createPeer() {
        return ((LoopbackTransport) transport).echoPeer();
    }

    @Override
    protected Portal deadPortal() {
        return Portal.of(LoopbackTransport.HOST, 1);
    }
}
